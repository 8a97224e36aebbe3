package io.streamgru.model.drift;

import java.util.Locale;
import java.util.Objects;

/**
 * What the owner of the optimizer does when a drift is reported: nothing (the default), raise the
 * learning rate for a while, or zero the optimizer's moments. Independent of where the drift comes
 * from (a detector in the same process, or a count carried by gradient batches) and of Kafka.
 *
 * <p>The owner of the optimizer
 * <ul>
 *   <li>calls {@link #onDrift(long)} with the optimizer's step count ({@code optimizer.steps()},
 *       the index of the next step) when a drift is reported;</li>
 *   <li>before each optimizer step, multiplies the scheduled rate by
 *       {@link #learningRateMultiplier(long)} of that same step index, and zeroes the moments when
 *       {@link #resetMomentsNow()} says so (it says so once per drift).</li>
 * </ul>
 *
 * <pre>
 * none                      nothing (default)
 * boost:FACTOR:STEPS        the rate times FACTOR for the STEPS optimizer steps from the drift on;
 *                           a drift during a boost is ignored (a boost is never extended, factors
 *                           never compound: a detector set off by the boosted model's own errors
 *                           cannot keep the rate up for ever)
 * reset-moments             zero the optimizer's moments once, before the next step
 * </pre>
 *
 * <p>The policy's state (an active boost's end, a pending reset, counters) is part of the
 * optimizer's state: snapshot it with the optimizer ({@link #exportState()}), or a restart would end
 * a boost early. Not thread-safe; nothing allocates except {@link #exportState()} and {@link #parse}.
 */
public final class DriftPolicy {

    /** The forms {@link #parse} reads. */
    public static final String FORMS = "none, boost:FACTOR:STEPS, reset-moments";

    /** What the policy does. */
    public enum Kind {
        NONE, BOOST_LEARNING_RATE, RESET_MOMENTS
    }

    static final double STATE_TAG = 301;

    private final Kind kind;
    private final double factor;
    private final long steps;

    /** First optimizer step after the active boost; {@code Long.MIN_VALUE} when none was ever started. */
    private long boostEnd = Long.MIN_VALUE;
    private long boostStart = Long.MIN_VALUE;
    private boolean resetPending;
    private long drifts;
    private long actedOn;
    private long resets;

    private DriftPolicy(Kind kind, double factor, long steps) {
        this.kind = kind;
        this.factor = factor;
        this.steps = steps;
    }

    /** Does nothing on drift (the default). */
    public static DriftPolicy none() {
        return new DriftPolicy(Kind.NONE, 1.0, 0);
    }

    /**
     * Multiplies the learning rate by {@code factor} for {@code steps} optimizer steps after a drift.
     *
     * @param factor {@code > 0} and finite (below 1 lowers the rate)
     * @param steps {@code >= 1}
     */
    public static DriftPolicy boostLearningRate(double factor, long steps) {
        if (!(factor > 0) || factor == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("boost factor must be finite and > 0, got " + factor);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("boost steps must be >= 1, got " + steps);
        }
        return new DriftPolicy(Kind.BOOST_LEARNING_RATE, factor, steps);
    }

    /** Zeroes the optimizer's moments once after each drift. */
    public static DriftPolicy resetMoments() {
        return new DriftPolicy(Kind.RESET_MOMENTS, 1.0, 0);
    }

    /**
     * Reads {@code none}, {@code boost:FACTOR:STEPS} or {@code reset-moments} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static DriftPolicy parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty drift policy; expected one of " + FORMS);
        }
        String[] parts = spec.strip().toLowerCase(Locale.ROOT).split(":", -1);
        String name = parts[0].strip();
        switch (name) {
            case "none":
            case "reset-moments":
                if (parts.length != 1) {
                    throw new IllegalArgumentException("drift policy '" + spec + "': " + name + " takes no parameters");
                }
                return name.equals("none") ? none() : resetMoments();
            case "boost":
                if (parts.length != 3) {
                    throw new IllegalArgumentException("drift policy '" + spec + "': expected boost:FACTOR:STEPS");
                }
                double f;
                long n;
                try {
                    f = Double.parseDouble(parts[1].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("drift policy '" + spec + "': FACTOR '" + parts[1] + "' is not a number");
                }
                try {
                    n = Long.parseLong(parts[2].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("drift policy '" + spec + "': STEPS '" + parts[2] + "' is not a whole number");
                }
                try {
                    return boostLearningRate(f, n);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("drift policy '" + spec + "': " + e.getMessage());
                }
            default:
                throw new IllegalArgumentException("drift policy '" + spec + "': unknown '" + name + "'; expected one of " + FORMS);
        }
    }

    /**
     * A drift was reported while the optimizer had taken {@code optimizerStep} steps (so the
     * boost, if any, covers steps {@code optimizerStep .. optimizerStep + STEPS - 1}).
     */
    public void onDrift(long optimizerStep) {
        if (optimizerStep < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + optimizerStep);
        }
        drifts++;
        switch (kind) {
            case BOOST_LEARNING_RATE -> {
                if (!boosting(optimizerStep)) {
                    boostStart = optimizerStep;
                    boostEnd = optimizerStep + steps;
                    actedOn++;
                }
            }
            case RESET_MOMENTS -> {
                if (!resetPending) {
                    resetPending = true;
                    actedOn++;
                }
            }
            case NONE -> { }
        }
    }

    /**
     * The factor for the learning rate of optimizer step {@code optimizerStep} (the step count
     * before that step): {@code FACTOR} inside a boost, otherwise 1.
     */
    public double learningRateMultiplier(long optimizerStep) {
        return boosting(optimizerStep) ? factor : 1.0;
    }

    /** Whether a boost covers optimizer step {@code optimizerStep}. */
    public boolean boosting(long optimizerStep) {
        return optimizerStep >= boostStart && optimizerStep < boostEnd;
    }

    /**
     * Whether the owner must zero the optimizer's moments before its next step; true once per
     * drift (the call consumes it), and only for {@link Kind#RESET_MOMENTS}.
     */
    public boolean resetMomentsNow() {
        if (!resetPending) {
            return false;
        }
        resetPending = false;
        resets++;
        return true;
    }

    /** Drifts reported through {@link #onDrift}. */
    public long drifts() {
        return drifts;
    }

    /** Drifts that started a boost or a reset (the others came during a boost, or before a pending reset was carried out). */
    public long actedOn() {
        return actedOn;
    }

    /** Moment resets handed out by {@link #resetMomentsNow()}. */
    public long resets() {
        return resets;
    }

    public Kind kind() {
        return kind;
    }

    /** The boost factor; 1 unless {@link Kind#BOOST_LEARNING_RATE}. */
    public double factor() {
        return factor;
    }

    /** The boost length in optimizer steps; 0 unless {@link Kind#BOOST_LEARNING_RATE}. */
    public long steps() {
        return steps;
    }

    /** The spec {@link #parse} reads back. */
    public String spec() {
        return switch (kind) {
            case NONE -> "none";
            case RESET_MOMENTS -> "reset-moments";
            case BOOST_LEARNING_RATE -> "boost:" + factor + ":" + steps;
        };
    }

    /** {@code [301, boost start, boost end, reset pending, drifts, acted on, resets]} (start and end are -2^63 before any boost). */
    public double[] exportState() {
        return new double[] {STATE_TAG, boostStart, boostEnd, resetPending ? 1 : 0, drifts, actedOn, resets};
    }

    /** Restores a state from {@link #exportState()}; validates before changing anything. */
    public void importState(double[] state) {
        Objects.requireNonNull(state, "state");
        if (state.length != 7 || state[0] != STATE_TAG) {
            throw new IllegalArgumentException("not a drift policy state: expected 7 numbers starting with "
                    + (int) STATE_TAG);
        }
        for (int i = 1; i <= 2; i++) {
            if (state[i] != (double) Long.MIN_VALUE) {
                StateChecks.count("boost bound", state[i]);
            }
        }
        StateChecks.flag("reset pending", state[3]);
        StateChecks.count("drifts", state[4]);
        StateChecks.count("acted on", state[5]);
        StateChecks.count("resets", state[6]);
        boostStart = (long) state[1];
        boostEnd = (long) state[2];
        resetPending = state[3] == 1;
        drifts = (long) state[4];
        actedOn = (long) state[5];
        resets = (long) state[6];
    }

    @Override
    public String toString() {
        return "DriftPolicy[" + spec() + "]";
    }
}
