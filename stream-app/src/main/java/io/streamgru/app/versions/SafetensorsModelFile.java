package io.streamgru.app.versions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.model.io.SafetensorsFile;
import io.streamgru.model.io.SafetensorsReader;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SafetensorsModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model versions as safetensors files: the parameters in float64 under their PyTorch names (so
 * {@code load_state_dict(strict=True)} takes them), and metadata — the learner configuration and
 * normaliser statistics ({@link SafetensorsModel}'s), plus the version's identity: app, model,
 * version, origin, creation time, config hash, feature names, target, samples, loss. The optimizer
 * state is not written (export it with {@link AvroSnapshotFile}).
 */
public final class SafetensorsModelFile {

    private static final String PREFIX = "streamgru.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsModelFile() {
    }

    /** Writes {@code version}, which belongs to {@code config}'s model. */
    public static void write(ModelVersion version, StreamGruConfig config, OutputStream out) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(PREFIX + "app_id", config.appId());
        extra.put(PREFIX + "model_name", config.modelName());
        extra.put(PREFIX + "version", Long.toString(version.version()));
        extra.put(PREFIX + "origin", version.origin());
        extra.put(PREFIX + "created_at", Instant.ofEpochMilli(version.createdAt()).toString());
        extra.put(PREFIX + "config_hash", version.configHash());
        extra.put(PREFIX + "feature_names", JSON.writeValueAsString(config.input().features()));
        extra.put(PREFIX + "target", config.input().target());
        extra.put(PREFIX + "samples_trained", Long.toString(version.samplesTrained()));
        extra.put(PREFIX + "loss", Double.toString(version.loss()));
        SafetensorsModel.write(config.learner(), version.parameters(), version.featureStats(), version.targetStats(),
                version.samplesTrained(), version.optimizerSteps(), extra, out);
    }

    /**
     * Reads a safetensors file written by StreamGRU (with its configuration and statistics) or by
     * anyone else (e.g. PyTorch: tensors only).
     *
     * @param training the training settings to complete the file's configuration with
     * @throws IllegalArgumentException if the file is not a readable safetensors file
     */
    public static ModelFile read(byte[] bytes, LearnerConfig training) {
        SafetensorsFile file;
        try {
            file = SafetensorsReader.read(bytes);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable safetensors file: " + e.getMessage(), e);
        }
        Map<String, String> meta = file.metadata();
        if (!meta.containsKey(SafetensorsModel.FORMAT_KEY)) {
            return new ModelFile("PyTorch safetensors (no StreamGRU metadata)", file.tensors(), null, null, null,
                    null, null, null, 0, Double.NaN);
        }
        // The model-core reader parses and checks the configuration and statistics.
        OnlineForecaster forecaster;
        try {
            forecaster = SafetensorsModel.read(new ByteArrayInputStream(bytes), training);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        long samples = meta.containsKey(PREFIX + "samples_trained") ? Long.parseLong(meta.get(PREFIX + "samples_trained"))
                : Long.parseLong(meta.getOrDefault(PREFIX + "records", "0"));
        double loss = meta.containsKey(PREFIX + "loss") ? Double.parseDouble(meta.get(PREFIX + "loss")) : Double.NaN;
        String description = "StreamGRU safetensors" + (meta.containsKey(PREFIX + "version")
                ? " (version " + meta.get(PREFIX + "version") + " of model '" + meta.get(PREFIX + "model_name") + "')" : "");
        return new ModelFile(description, file.tensors(), forecaster.config(), featureNames(meta),
                meta.get(PREFIX + "target"), forecaster.featureNormalizer().exportState(),
                forecaster.targetNormalizer().exportState(), null, samples, loss);
    }

    private static List<String> featureNames(Map<String, String> meta) {
        String text = meta.get(PREFIX + "feature_names");
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata '" + PREFIX + "feature_names' is not a JSON list of names: "
                    + text, e);
        }
    }
}
