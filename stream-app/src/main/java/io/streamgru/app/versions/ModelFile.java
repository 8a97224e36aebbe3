package io.streamgru.app.versions;

import io.streamgru.model.io.Tensor;
import io.streamgru.model.online.LearnerConfig;
import java.util.List;
import java.util.Map;

/**
 * A model as read from a file for import, before it is checked against an application: its
 * parameters as named tensors, and whatever else the file carried (null where it carried nothing).
 *
 * @param description    what the file is, for messages: "StreamGRU safetensors", "PyTorch safetensors", …
 * @param tensors        the parameters under their PyTorch names, as the file holds them
 * @param config         the learner configuration the file was written with; null for a plain PyTorch file
 * @param featureNames   the feature field paths the model was trained on; null if unknown
 * @param target         the target field path; null if unknown
 * @param featureStats   feature normaliser state; null if the file has none
 * @param targetStats    target normaliser state; null if the file has none
 * @param optimizerState the optimizer's exported state; null if the file has none
 * @param samplesTrained samples the model had learned from (0 if unknown)
 * @param loss           the training loss recorded with it (NaN if unknown)
 */
public record ModelFile(String description, Map<String, Tensor> tensors, LearnerConfig config,
                        List<String> featureNames, String target, double[] featureStats, double[] targetStats,
                        double[] optimizerState, long samplesTrained, double loss) {
}
