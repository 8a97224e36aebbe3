package io.streamgru.model.drift;

/** Validation of imported detector and policy states. */
final class StateChecks {

    private StateChecks() {
    }

    /** A whole number in [0, 2^53]. */
    static void count(String what, double v) {
        if (!(v >= 0) || v != Math.rint(v) || v > 0x1p53) {
            throw new IllegalArgumentException(what + " must be a whole number >= 0, got " + v);
        }
    }

    static void finite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite, got " + v);
        }
    }

    static void flag(String what, double v) {
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException(what + " must be 0 or 1, got " + v);
        }
    }
}
