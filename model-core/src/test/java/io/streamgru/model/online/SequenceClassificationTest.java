package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.gru.StepWorkspace;
import io.streamgru.model.gru.TruncatedBptt;
import io.streamgru.model.init.ParameterInitializer;
import io.streamgru.model.loss.SoftmaxCrossEntropyLoss;
import io.streamgru.model.optim.Adam;
import io.streamgru.model.optim.ConstantRate;
import io.streamgru.model.optim.GradientAccumulator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Many-to-one sequence classification, online and prequential: each sequence is classified from
 * the GRU's output at its last step before its label is used, then learned from (cross-entropy
 * at the last step only). Three classes of noisy oscillation that differ only in frequency, so
 * the class is visible only across time steps.
 */
class SequenceClassificationTest {

    private static final int CLASSES = 3;
    private static final int LENGTH = 20;
    private static final double[] FREQUENCIES = {0.3, 0.7, 1.4};

    @Test
    void learnsToTellFrequenciesApartFarAboveChanceInOnePass() {
        GruConfig config = GruConfig.linear(1, 16, 1, CLASSES);
        ParameterLayout layout = new ParameterLayout(config);
        double[] params = ParameterInitializer.PYTORCH_DEFAULT.initialize(layout, 5);
        GruModel model = new GruModel(layout, params);
        TruncatedBptt bptt = new TruncatedBptt(config, LENGTH);
        GradientAccumulator accumulator = new GradientAccumulator(layout.size(), 8, new Adam(layout.size()),
                new ConstantRate(0.01), 1.0);
        StepWorkspace ws = model.newWorkspace();
        SplittableRandom random = new SplittableRandom(17);

        int sequences = 3000;
        int scoredFrom = sequences * 4 / 5;
        int correct = 0;
        double[] inputs = new double[LENGTH];
        double[] targets = new double[LENGTH];
        boolean[] lastOnly = new boolean[LENGTH];
        lastOnly[LENGTH - 1] = true;
        double[] state = new double[config.stateSize()];
        double[] logits = new double[CLASSES];
        for (int s = 0; s < sequences; s++) {
            int label = random.nextInt(CLASSES);
            double phase = random.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < LENGTH; t++) {
                inputs[t] = Math.sin(FREQUENCIES[label] * t + phase) + 0.2 * (random.nextDouble() - 0.5);
            }
            targets[LENGTH - 1] = label;

            java.util.Arrays.fill(state, 0.0);
            for (int t = 0; t < LENGTH; t++) {
                model.step(state, new double[] {inputs[t]}, logits, ws);
            }
            if (s >= scoredFrom && argmax(logits) == label) {
                correct++;
            }

            java.util.Arrays.fill(state, 0.0);
            double loss = bptt.run(model, state, inputs, targets, lastOnly, LENGTH, new SoftmaxCrossEntropyLoss(),
                    accumulator.chunkGradient(), new double[config.stateSize()]);
            accumulator.commitChunk(loss, bptt.samples());
            if (accumulator.ready()) {
                accumulator.step(params);
            }
        }
        double accuracy = (double) correct / (sequences - scoredFrom);
        System.out.printf("sequence classification: accuracy over the last 20%% = %.3f (chance %.3f)%n",
                accuracy, 1.0 / CLASSES);
        assertThat(accuracy).isGreaterThan(0.9);
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
