package io.streamgru.model.optim;

/** Argument checks for optimizer hyperparameters and schedule parameters, with uniform messages. */
final class Require {

    private Require() {
    }

    /** Returns {@code value} if it is finite and {@code >= 0}. */
    static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** Returns {@code value} if it is finite and {@code > 0}. */
    static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    /** Returns {@code value} if it is {@code >= 1}. */
    static long atLeastOne(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    /** Returns {@code value} if it lies in {@code [0, 1)}, as torch requires of Adam's betas. */
    static double beta(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
