package io.streamgru.model.online;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.io.DType;
import io.streamgru.model.io.SafetensorsFile;
import io.streamgru.model.io.SafetensorsReader;
import io.streamgru.model.io.SafetensorsWriter;
import io.streamgru.model.io.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A forecaster as a safetensors file: the parameters under their PyTorch names (so
 * {@code load_state_dict} takes them as they are) plus metadata that makes the file complete for
 * StreamGRU: the learner configuration and the normaliser statistics. A file without StreamGRU
 * metadata (e.g. saved from PyTorch) is read as a plain {@code nn.GRU} + {@code nn.Linear} over the
 * features: horizon 0, no normalisation, no autoregressive input.
 */
public final class SafetensorsModel {

    /** Metadata key that marks a StreamGRU file, and its format version. */
    public static final String FORMAT_KEY = "streamgru.format";
    public static final String FORMAT = "1";
    private static final String PREFIX = "streamgru.";

    private SafetensorsModel() {
    }

    /** Writes the forecaster's parameters (float64, exact) and metadata. */
    public static void write(OnlineForecaster forecaster, OutputStream out) throws IOException {
        write(forecaster.config(), forecaster.model().parameters(), forecaster.featureNormalizer().exportState(),
                forecaster.targetNormalizer().exportState(), forecaster.records(),
                forecaster.accumulator().stepsApplied(), Map.of(), out);
    }

    /**
     * Writes a model given by its parts (for a model that lives elsewhere than in a forecaster, e.g.
     * a published version): parameters in float64 under their PyTorch names, the configuration and
     * statistics as metadata, plus {@code extraMetadata} (keys must not collide with the standard
     * ones; {@link #read} ignores them).
     */
    public static void write(LearnerConfig c, double[] parameters, double[] featureStats, double[] targetStats,
                             long records, long optimizerSteps, Map<String, String> extraMetadata, OutputStream out)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(PREFIX + "features", Integer.toString(c.features()));
        meta.put(PREFIX + "horizon", Integer.toString(c.horizon()));
        meta.put(PREFIX + "autoregressive", Boolean.toString(c.autoregressive()));
        meta.put(PREFIX + "residual", Boolean.toString(c.residual()));
        meta.put(PREFIX + "hidden", Integer.toString(c.hidden()));
        meta.put(PREFIX + "layers", Integer.toString(c.layers()));
        meta.put(PREFIX + "head", c.head().name().toLowerCase(Locale.ROOT));
        meta.put(PREFIX + "head_hidden", Integer.toString(c.headHidden()));
        meta.put(PREFIX + "normalize", Boolean.toString(c.normalize()));
        meta.put(PREFIX + "linear_lags", Integer.toString(c.linearLags()));
        meta.put(PREFIX + "feature_stats", join(featureStats));
        meta.put(PREFIX + "target_stats", join(targetStats));
        meta.put(PREFIX + "records", Long.toString(records));
        meta.put(PREFIX + "optimizer_steps", Long.toString(optimizerSteps));
        extraMetadata.forEach((k, v) -> {
            if (meta.putIfAbsent(k, v) != null) {
                throw new IllegalArgumentException("extra metadata '" + k + "' would replace a standard entry");
            }
        });
        ParameterLayout layout = new ParameterLayout(c.gruConfig());
        SafetensorsWriter.write(out, StateDict.toTensors(layout, parameters, DType.F64), meta);
    }

    /**
     * Reads a forecaster. The model's shape and data semantics come from the file; training
     * settings (chunk, window, optimizer, learning rate, …) from {@code training}.
     */
    public static OnlineForecaster read(InputStream in, LearnerConfig training) throws IOException {
        SafetensorsFile file = SafetensorsReader.read(in);
        Map<String, String> meta = file.metadata();
        if (!meta.containsKey(FORMAT_KEY)) {
            return plainPyTorch(file, training);
        }
        if (!FORMAT.equals(meta.get(FORMAT_KEY))) {
            throw new IllegalArgumentException("unsupported StreamGRU model format " + meta.get(FORMAT_KEY)
                    + " (this version reads " + FORMAT + ")");
        }
        LearnerConfig config = training.toBuilder()
                .features(integer(meta, "features"))
                .horizon(integer(meta, "horizon"))
                .autoregressive(bool(meta, "autoregressive"))
                .residual(bool(meta, "residual"))
                .hidden(integer(meta, "hidden"))
                .layers(integer(meta, "layers"))
                .head(io.streamgru.model.gru.HeadType.valueOf(get(meta, "head").toUpperCase(Locale.ROOT)))
                .headHidden(integer(meta, "head_hidden"))
                .normalize(bool(meta, "normalize"))
                // Files written before the linear path have none.
                .linearLags(meta.containsKey(PREFIX + "linear_lags") ? integer(meta, "linear_lags") : 0)
                .build();
        double[] params = StateDict.fromTensors(new ParameterLayout(config.gruConfig()), file.tensors());
        return new OnlineForecaster(config, params, split(get(meta, "feature_stats")), split(get(meta, "target_stats")));
    }

    private static OnlineForecaster plainPyTorch(SafetensorsFile file, LearnerConfig training) {
        GruConfig shape = StateDict.inferConfig(file.tensors());
        if (shape.outputs() != 1) {
            throw new IllegalArgumentException("the model's head has " + shape.outputs()
                    + " outputs; a forecaster needs exactly 1");
        }
        LearnerConfig config = training.toBuilder()
                .features(shape.inputSize())
                .horizon(0)
                .autoregressive(false)
                .residual(false)
                .normalize(false)
                .hidden(shape.hiddenSize())
                .layers(shape.layers())
                .head(shape.head())
                .headHidden(Math.max(1, shape.headHidden()))
                .linearLags(0)
                .build();
        double[] params = StateDict.fromTensors(new ParameterLayout(config.gruConfig()), file.tensors());
        return new OnlineForecaster(config, params, null, null);
    }

    private static String get(Map<String, String> meta, String key) {
        String v = meta.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException("StreamGRU model file lacks metadata '" + PREFIX + key + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> meta, String key) {
        return Integer.parseInt(get(meta, key));
    }

    private static boolean bool(Map<String, String> meta, String key) {
        return Boolean.parseBoolean(get(meta, key));
    }

    private static String join(double[] values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(values[i]); // Double.toString round-trips exactly
        }
        return b.toString();
    }

    private static double[] split(String text) {
        if (text.isEmpty()) {
            return new double[0];
        }
        String[] parts = text.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(parts[i]);
        }
        return v;
    }
}
