package io.streamgru.model.drift;

import java.util.Locale;

/**
 * Which changes of the monitored mean a detector reports, River's {@code mode} of its
 * {@code PageHinkley} ({@code "up"}, {@code "down"}, {@code "both"}).
 *
 * <p>StreamGRU monitors a forecaster's error, so its detectors default to {@link #UP}: a rising
 * error means the model no longer fits the stream; a falling error (the model learning, or the
 * stream becoming easier) needs no action and must not set off a drift policy.
 */
public enum DriftDirection {
    /** Increases of the mean only. */
    UP,
    /** Decreases of the mean only. */
    DOWN,
    /** Increases and decreases. */
    BOTH;

    /** Whether a change of this sign is reported: {@code increase} true for a rising mean. */
    public boolean reports(boolean increase) {
        return this == BOTH || (this == UP) == increase;
    }

    /** {@code up}, {@code down} or {@code both}, case-insensitive. */
    public static DriftDirection named(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "up" -> UP;
            case "down" -> DOWN;
            case "both" -> BOTH;
            default -> throw new IllegalArgumentException("drift direction must be up, down or both, got '" + name + "'");
        };
    }

    /** The name {@link #named} reads. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
