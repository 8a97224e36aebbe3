package io.streamgru.model.online;

import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.init.ParameterInitializer;
import java.util.Locale;

/** Fresh parameters for a configuration: its initialisation scheme drawn from its seed (deterministic, so every process computes the same initial model). */
public final class ModelInitialization {

    private ModelInitialization() {
    }

    public static double[] initialParameters(LearnerConfig config) {
        return scheme(config.init()).initialize(new ParameterLayout(config.gruConfig()), config.seed());
    }

    static ParameterInitializer scheme(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "pytorch", "default" -> ParameterInitializer.PYTORCH_DEFAULT;
            case "xavier", "glorot" -> ParameterInitializer.XAVIER;
            case "orthogonal" -> ParameterInitializer.ORTHOGONAL;
            default -> throw new IllegalArgumentException(
                    "unknown initialisation '" + name + "': expected pytorch, xavier or orthogonal");
        };
    }
}
