package io.streamgru.app.config;

import java.util.Locale;

/**
 * How the gradient sum of a batch travels on the gradients topic. The learner sums its window in
 * float64 and the optimizer accumulates batches in float64 either way; FLOAT32 rounds only the
 * batch's sum once on the wire (relative error at most 2⁻²⁴ ≈ 6·10⁻⁸ per element, far below the
 * sampling noise of a 16-sample gradient and below what clipping and Adam's normalisation can
 * notice) for half the bytes. FLOAT64 sends the exact sum.
 */
public enum GradientPrecision {
    FLOAT32(4),
    FLOAT64(8);

    private final int bytes;

    GradientPrecision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per gradient element on the wire. */
    public int bytes() {
        return bytes;
    }

    /** From the setting's spelling, {@code float32} or {@code float64}. */
    public static GradientPrecision of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
