package io.streamgru.model.online;

/**
 * The magnitudes a reading may have to be learned from. Every statistic the learner keeps squares
 * its values and sums them over up to 2^53 records; with |v| &le; {@value #MAX_MAGNITUDE} those
 * sums stay far below {@link Double#MAX_VALUE} (1e200 · 2^53 ≈ 1e216), so no finite input can
 * overflow a statistic, a gradient or a parameter. No sensor's units come near the bound (a
 * reading of 1e-9 or 1e12 is well inside); a value beyond it is rejected, not clipped, with
 * reason {@code OUT_OF_RANGE}: clipping would invent a reading.
 */
public final class LearnableRange {

    /** The largest magnitude a feature or target may have. */
    public static final double MAX_MAGNITUDE = 1e100;

    private LearnableRange() {
    }

    /** Whether {@code v} is finite and within ±{@value #MAX_MAGNITUDE}; NaN (a missing value) is not. */
    public static boolean contains(double v) {
        return Math.abs(v) <= MAX_MAGNITUDE;
    }
}
