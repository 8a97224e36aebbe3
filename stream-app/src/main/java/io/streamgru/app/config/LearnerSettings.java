package io.streamgru.app.config;

import io.streamgru.model.gru.HeadType;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.drift.DriftDetectorSpec;
import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.online.FeatureScaling;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code learner.*} settings and how they become a {@link LearnerConfig}: one path for the
 * config file, the environment and the CLI flags of every command. Unset keys keep the learner's
 * defaults.
 */
public final class LearnerSettings {

    /** Every key this class reads, without the {@code learner.} prefix. */
    public static final List<String> KEYS = List.of("horizon", "hidden", "layers", "head", "head.hidden", "chunk",
            "window", "optimizer", "lr", "schedule", "clip", "weight.decay", "loss", "huber.delta", "loss.at",
            "normalize", "autoregressive", "residual", "init", "seed", "learn", "drift.detector", "drift.policy",
            "feature.scaling");

    private static final String P = "learner.";

    private LearnerSettings() {
    }

    /** A spec setting, checked here so that an error names the key and where its value came from. */
    private static String spec(Settings s, String key, Function<String, ?> parser) {
        String value = s.string(key, "");
        try {
            parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("setting '" + key + "' = '" + value + "' (from " + s.sourceOf(key) + "): "
                    + e.getMessage());
        }
        return value;
    }

    /** The learner configuration for {@code features} feature inputs. */
    public static LearnerConfig toConfig(Settings s, int features) {
        return toConfig(s, features, false);
    }

    /**
     * The learner configuration; with {@code previousDefaults}, settings left unset resolve as the
     * release before the linear path resolved them ({@link LearnerConfig.Builder#previousDefaults()}).
     */
    static LearnerConfig toConfig(Settings s, int features, boolean previousDefaults) {
        LearnerConfig.Builder b = LearnerConfig.builder().features(features);
        if (previousDefaults) {
            b.previousDefaults();
        }
        if (s.has(P + "horizon")) {
            b.horizon(s.integer(P + "horizon", 1));
        }
        if (s.has(P + "hidden")) {
            b.hidden(s.integer(P + "hidden", 0));
        }
        if (s.has(P + "layers")) {
            b.layers(s.integer(P + "layers", 0));
        }
        if (s.has(P + "head")) {
            b.head(s.choice(P + "head", "linear", "linear", "mlp").equals("mlp") ? HeadType.MLP : HeadType.LINEAR);
        }
        if (s.has(P + "head.hidden")) {
            b.headHidden(s.integer(P + "head.hidden", 0));
        }
        if (s.has(P + "chunk")) {
            b.chunk(s.integer(P + "chunk", 0));
        }
        if (s.has(P + "window")) {
            b.window(s.integer(P + "window", 0));
        }
        if (s.has(P + "optimizer")) {
            b.optimizer(s.choice(P + "optimizer", "adam", "sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"));
        }
        if (s.has(P + "lr")) {
            b.learningRate(s.decimal(P + "lr", 0));
        }
        if (s.has(P + "schedule")) {
            b.schedule(s.string(P + "schedule", "constant"));
        }
        if (s.has(P + "clip")) {
            b.clip(s.decimal(P + "clip", 0));
        }
        if (s.has(P + "weight.decay")) {
            b.weightDecay(s.decimal(P + "weight.decay", 0));
        }
        if (s.has(P + "loss")) {
            b.loss(s.choice(P + "loss", "mse", "mse", "l1", "huber"));
        }
        if (s.has(P + "huber.delta")) {
            b.huberDelta(s.decimal(P + "huber.delta", 1));
        }
        if (s.has(P + "loss.at")) {
            b.lossAtLastStep(s.choice(P + "loss.at", "all", "all", "last").equals("last"));
        }
        if (s.has(P + "normalize")) {
            b.normalize(s.bool(P + "normalize", true));
        }
        if (s.has(P + "autoregressive")) {
            b.autoregressive(s.bool(P + "autoregressive", true));
        }
        if (s.has(P + "residual")) {
            b.residual(s.bool(P + "residual", true));
        }
        if (s.has(P + "init")) {
            b.init(s.choice(P + "init", "pytorch", "pytorch", "xavier", "orthogonal"));
        }
        if (s.has(P + "seed")) {
            b.seed(s.longValue(P + "seed", 42));
        }
        if (s.has(P + "learn")) {
            b.learn(s.bool(P + "learn", true));
        }
        if (s.has(P + "drift.detector")) {
            b.driftDetector(spec(s, P + "drift.detector", DriftDetectorSpec::parse));
        }
        if (s.has(P + "drift.policy")) {
            b.driftPolicy(spec(s, P + "drift.policy", DriftPolicy::parse));
        }
        if (s.has(P + "feature.scaling")) {
            b.featureScaling(FeatureScaling.named(spec(s, P + "feature.scaling", FeatureScaling::named)));
        }
        try {
            return b.build();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid learner settings: " + e.getMessage());
        }
    }
}
