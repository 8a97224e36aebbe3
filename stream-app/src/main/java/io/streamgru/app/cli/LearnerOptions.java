package io.streamgru.app.cli;

import io.streamgru.model.gru.HeadType;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.LearnerConfig.Defaults;
import picocli.CommandLine.Option;

/** Model and training options shared by every command that trains (a picocli mixin). */
public final class LearnerOptions {

    @Option(names = "--horizon", paramLabel = "H", defaultValue = "1",
            description = "0 = estimate each row's target from inputs up to that row; H >= 1 = forecast the target H rows ahead (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "" + Defaults.HIDDEN,
            description = "GRU units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "" + Defaults.LAYERS,
            description = "Stacked GRU layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--head", paramLabel = "TYPE", defaultValue = "linear",
            description = "Output head: linear or mlp (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--head-hidden", paramLabel = "N", defaultValue = "32",
            description = "Hidden units of the MLP head (default: ${DEFAULT-VALUE}).")
    int headHidden;

    @Option(names = "--chunk", paramLabel = "K", defaultValue = "" + Defaults.CHUNK,
            description = "Truncated-BPTT chunk length in steps (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--window", paramLabel = "W", defaultValue = "" + Defaults.WINDOW,
            description = "Samples accumulated before each optimizer step (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = Defaults.OPTIMIZER,
            description = "sgd, momentum, nesterov, adam, adamw or rmsprop (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "" + Defaults.LEARNING_RATE,
            description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--schedule", paramLabel = "SPEC", defaultValue = "constant",
            description = "Learning-rate schedule: constant, step:SIZE:GAMMA, exp:GAMMA, inverse:RATE:STEPS, "
                    + "cosine:TOTAL[:MIN], optionally prefixed by warmup:N, (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "" + Defaults.CLIP,
            description = "Clip the gradient's global L2 norm to this (0 = off; default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0",
            description = "Weight decay (L2; decoupled for adamw) (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "mse",
            description = "mse, l1 or huber (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--huber-delta", paramLabel = "D", defaultValue = "1.0",
            description = "Huber threshold, in normalised units (default: ${DEFAULT-VALUE}).")
    double huberDelta;

    @Option(names = "--loss-at", paramLabel = "WHERE", defaultValue = "all",
            description = "Loss at every step of a chunk (all) or only its last step (last) (default: ${DEFAULT-VALUE}).")
    String lossAt;

    @Option(names = "--normalize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Online z-score of features and target (default: on).")
    boolean normalize;

    @Option(names = "--autoregressive", negatable = true,
            description = "Feed the latest known target as an extra input (default: on when forecasting, H >= 1, or without features).")
    Boolean autoregressive;

    @Option(names = "--init", paramLabel = "SCHEME", defaultValue = "pytorch",
            description = "Initialisation: pytorch, xavier or orthogonal (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of all randomness: the same seed and data give identical results (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-learn", description = "Inference only: forecast, never update the model or its statistics.")
    boolean noLearn;

    /** The learner configuration these options describe for {@code features} feature inputs. */
    public LearnerConfig toConfig(int features) {
        LearnerConfig.Builder b = LearnerConfig.builder()
                .features(features)
                .horizon(horizon)
                .hidden(hidden)
                .layers(layers)
                .head(headType(head))
                .headHidden(headHidden)
                .chunk(chunk)
                .window(window)
                .optimizer(optimizer)
                .learningRate(learningRate)
                .schedule(schedule)
                .clip(clip)
                .weightDecay(weightDecay)
                .loss(loss)
                .huberDelta(huberDelta)
                .lossAtLastStep(lossAtLast(lossAt))
                .normalize(normalize)
                .init(init)
                .seed(seed)
                .learn(!noLearn);
        if (autoregressive != null) {
            b.autoregressive(autoregressive);
        }
        return b.build();
    }

    private static HeadType headType(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "linear" -> HeadType.LINEAR;
            case "mlp" -> HeadType.MLP;
            default -> throw new IllegalArgumentException("unknown head '" + name + "': expected linear or mlp");
        };
    }

    private static boolean lossAtLast(String where) {
        return switch (where.toLowerCase(java.util.Locale.ROOT)) {
            case "all" -> false;
            case "last" -> true;
            default -> throw new IllegalArgumentException("--loss-at must be all or last, got '" + where + "'");
        };
    }
}
