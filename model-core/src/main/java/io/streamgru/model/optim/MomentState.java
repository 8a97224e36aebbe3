package io.streamgru.model.optim;

import java.util.Arrays;

/**
 * The step count and the per-parameter moment buffers of one optimizer, with their snapshot
 * format. Kept apart so every optimizer exports, imports and resets the same way.
 */
final class MomentState {

    private final int size;
    private final double[][] moments;
    private long steps;

    MomentState(int size, int momentCount) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        this.size = size;
        this.moments = new double[momentCount][size];
    }

    int size() {
        return size;
    }

    /** The buffer of moment {@code index}; optimizers keep the reference and update it in place. */
    double[] moment(int index) {
        return moments[index];
    }

    long steps() {
        return steps;
    }

    /** Counts one step and returns the new count (torch increments before using it). */
    long increment() {
        return ++steps;
    }

    void reset() {
        steps = 0;
        for (double[] m : moments) {
            Arrays.fill(m, 0.0);
        }
    }

    /** Zeroes the moments, keeping the step count. */
    void resetMoments() {
        for (double[] m : moments) {
            Arrays.fill(m, 0.0);
        }
    }

    double[] export() {
        double[] out = new double[1 + moments.length * size];
        // A double holds every count up to 2^53 exactly, far beyond any realistic run.
        out[0] = steps;
        for (int k = 0; k < moments.length; k++) {
            System.arraycopy(moments[k], 0, out, 1 + k * size, size);
        }
        return out;
    }

    void importFrom(double[] state, String optimizerName) {
        int expected = 1 + moments.length * size;
        if (state == null || state.length != expected) {
            throw new IllegalArgumentException(optimizerName + " state must have length " + expected
                    + " (1 step count + " + moments.length + " x " + size + " moments), got "
                    + (state == null ? "null" : state.length));
        }
        double count = state[0];
        if (!(count >= 0) || count != Math.rint(count) || count > 0x1p53) {
            throw new IllegalArgumentException(
                    optimizerName + " state step count must be a non-negative integer, got " + count);
        }
        steps = (long) count;
        for (int k = 0; k < moments.length; k++) {
            System.arraycopy(state, 1 + k * size, moments[k], 0, size);
        }
    }

    /** Guards the hot path cheaply: the arrays must cover this optimizer's size. */
    void checkStep(double[] params, double[] grads, double learningRate) {
        if (params.length < size || grads.length < size) {
            throw new IllegalArgumentException("params (" + params.length + ") and grads ("
                    + grads.length + ") must hold at least " + size + " values");
        }
        if (!(learningRate >= 0) || learningRate == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
    }
}
