package io.streamgru.app.cli;

import io.streamgru.app.config.LearnerSettings;
import io.streamgru.app.config.Settings;
import io.streamgru.model.online.LearnerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Model and training options shared by every command that trains (a picocli mixin). Each flag is
 * the command-line form of a {@code learner.*} setting; unset flags keep the configuration's value
 * or the learner's default, and all of them go through {@link LearnerSettings}.
 */
public final class LearnerOptions {

    @Option(names = "--horizon", paramLabel = "H",
            description = "0 = estimate each row's target from inputs up to that row; H >= 1 = forecast the target H rows ahead (default: 1).")
    Integer horizon;

    @Option(names = "--hidden", paramLabel = "N", description = "GRU units per layer (default: " + LearnerConfig.Defaults.HIDDEN + ").")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N", description = "Stacked GRU layers (default: " + LearnerConfig.Defaults.LAYERS + ").")
    Integer layers;

    @Option(names = "--head", paramLabel = "TYPE", description = "Output head: linear or mlp (default: linear).")
    String head;

    @Option(names = "--head-hidden", paramLabel = "N", description = "Hidden units of the MLP head (default: 32).")
    Integer headHidden;

    @Option(names = "--chunk", paramLabel = "K", description = "Truncated-BPTT chunk length in steps (default: " + LearnerConfig.Defaults.CHUNK + ").")
    Integer chunk;

    @Option(names = "--window", paramLabel = "W", description = "Samples accumulated before each optimizer step (default: " + LearnerConfig.Defaults.WINDOW + ").")
    Integer window;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd, momentum, nesterov, adam, adamw or rmsprop (default: " + LearnerConfig.Defaults.OPTIMIZER + ").")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate: the base rate the schedule starts from (default: " + LearnerConfig.Defaults.LEARNING_RATE + ").")
    Double learningRate;

    @Option(names = "--schedule", paramLabel = "SPEC",
            description = "Learning-rate schedule: constant, step:SIZE:GAMMA, exp:GAMMA, inverse:RATE:STEPS[:MIN], "
                    + "cosine:TOTAL[:MIN], optionally prefixed by warmup:N, (default: " + LearnerConfig.Defaults.SCHEDULE + ").")
    String schedule;

    @Option(names = "--clip", paramLabel = "NORM",
            description = "Clip the gradient's global L2 norm to this (0 = off; default: " + LearnerConfig.Defaults.CLIP + ").")
    Double clip;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (L2; decoupled for adamw) (default: 0).")
    Double weightDecay;

    @Option(names = "--loss", paramLabel = "NAME", description = "mse, l1 or huber (default: mse).")
    String loss;

    @Option(names = "--huber-delta", paramLabel = "D", description = "Huber threshold, in normalised units (default: 1.0).")
    Double huberDelta;

    @Option(names = "--loss-at", paramLabel = "WHERE",
            description = "Loss at every step of a chunk (all) or only its last step (last) (default: all).")
    String lossAt;

    @Option(names = "--normalize", negatable = true, description = "Online z-score of features and target (default: on).")
    Boolean normalize;

    @Option(names = "--autoregressive", negatable = true,
            description = "Feed the latest known target and its last change as inputs and forecast the change "
                    + "(default: on when forecasting, H >= 1, or without features).")
    Boolean autoregressive;

    @Option(names = "--init", paramLabel = "SCHEME", description = "Initialisation: pytorch, xavier or orthogonal (default: pytorch).")
    String init;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of all randomness: the same seed and data give identical results (default: 42).")
    Long seed;

    @Option(names = "--drift-detector", paramLabel = "SPEC",
            description = "Drift detector on each series' forecast error: none, page-hinkley[:KEY=VALUE]... or "
                    + "adwin[:KEY=VALUE]... (default: " + LearnerConfig.Defaults.DRIFT_DETECTOR + "; see docs/drift.md).")
    String driftDetector;

    @Option(names = "--drift-policy", paramLabel = "SPEC",
            description = "What the optimizer does on a detected drift: none, boost:FACTOR:STEPS or reset-moments "
                    + "(default: " + LearnerConfig.Defaults.DRIFT_POLICY + ").")
    String driftPolicy;

    @Option(names = "--feature-scaling", paramLabel = "shared|per-key",
            description = "Whose statistics z-score the features: shared by all keys (default) or each key's own "
                    + "(keys measuring features in different units; 24 bytes per feature per key).")
    String featureScaling;

    @Option(names = "--no-learn", description = "Inference only: forecast, never update the model or its statistics.")
    boolean noLearn;

    /** The flags that were given, as {@code learner.*} settings. */
    public Settings toSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "horizon", horizon);
        put(m, "hidden", hidden);
        put(m, "layers", layers);
        put(m, "head", head);
        put(m, "head.hidden", headHidden);
        put(m, "chunk", chunk);
        put(m, "window", window);
        put(m, "optimizer", optimizer);
        put(m, "lr", learningRate);
        put(m, "schedule", schedule);
        put(m, "clip", clip);
        put(m, "weight.decay", weightDecay);
        put(m, "loss", loss);
        put(m, "huber.delta", huberDelta);
        put(m, "loss.at", lossAt);
        put(m, "normalize", normalize);
        put(m, "autoregressive", autoregressive);
        put(m, "init", init);
        put(m, "seed", seed);
        put(m, "drift.detector", driftDetector);
        put(m, "drift.policy", driftPolicy);
        put(m, "feature.scaling", featureScaling);
        if (noLearn) {
            m.put("learner.learn", "false");
        }
        return Settings.of(m, "command line");
    }

    private static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put("learner." + key, value.toString());
        }
    }

    /** The learner configuration these flags describe for {@code features} feature inputs. */
    public LearnerConfig toConfig(int features) {
        return LearnerSettings.toConfig(toSettings(), features);
    }
}
