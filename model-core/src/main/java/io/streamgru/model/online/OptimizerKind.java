package io.streamgru.model.online;

import io.streamgru.model.optim.Adam;
import io.streamgru.model.optim.AdamW;
import io.streamgru.model.optim.Optimizer;
import io.streamgru.model.optim.RmsProp;
import io.streamgru.model.optim.Sgd;
import java.util.Locale;

/** The optimizers a configuration can name, with PyTorch's defaults for their other settings. */
public enum OptimizerKind {
    SGD, MOMENTUM, NESTEROV, ADAM, ADAMW, RMSPROP;

    /** The kind for a config/CLI name (case-insensitive). */
    public static OptimizerKind named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown optimizer '" + name
                    + "': expected sgd, momentum, nesterov, adam, adamw or rmsprop");
        }
    }

    /** A new optimizer over {@code size} parameters. Momentum variants use 0.9. */
    public Optimizer create(int size, double weightDecay) {
        return switch (this) {
            case SGD -> new Sgd(size, 0.0, 0.0, false, weightDecay);
            case MOMENTUM -> new Sgd(size, 0.9, 0.0, false, weightDecay);
            case NESTEROV -> new Sgd(size, 0.9, 0.0, true, weightDecay);
            case ADAM -> new Adam(size, 0.9, 0.999, 1e-8, weightDecay);
            case ADAMW -> new AdamW(size, 0.9, 0.999, 1e-8, weightDecay);
            case RMSPROP -> new RmsProp(size, 0.99, 1e-8, 0.0, false, weightDecay);
        };
    }
}
