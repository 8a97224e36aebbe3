package io.streamgru.model.optim;

import java.util.Arrays;

/**
 * A window of gradient sums: chunks (or batches) are added until it holds about {@code window}
 * samples. A chunk whose loss or gradient is not finite is dropped and counted instead of added,
 * so one bad record cannot poison a window of good ones. Allocates nothing after construction.
 * Not thread-safe.
 */
public final class GradientWindow implements GradientSink {

    private final int size;
    private final int window;
    private final double[] chunk;
    private final double[] sum;
    private long samples;
    private double lossSum;
    private long totalSamples;
    private long rejectedChunks;

    public GradientWindow(int size, int window) {
        Require.atLeastOne("window", window);
        this.size = size;
        this.window = window;
        this.chunk = new double[size];
        this.sum = new double[size];
    }

    @Override
    public double[] chunkGradient() {
        return chunk;
    }

    @Override
    public boolean commitChunk(double lossSum, int samples) {
        boolean accepted = accept(chunk, lossSum, samples);
        Arrays.fill(chunk, 0.0);
        return accepted;
    }

    /**
     * Adds an externally computed gradient sum (e.g. a batch from another task), with the same
     * finiteness check as {@link #commitChunk}. {@code gradientSum} is not modified.
     *
     * @return whether the batch was accepted
     */
    public boolean addBatch(double[] gradientSum, int samples, double lossSum) {
        if (gradientSum.length < size) {
            throw new IllegalArgumentException(
                    "gradient has " + gradientSum.length + " values, expected at least " + size);
        }
        return accept(gradientSum, lossSum, samples);
    }

    private boolean accept(double[] gradientSum, double chunkLoss, int chunkSamples) {
        if (chunkSamples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + chunkSamples);
        }
        if (!Double.isFinite(chunkLoss) || !allFinite(gradientSum)) {
            rejectedChunks++;
            return false;
        }
        for (int i = 0; i < size; i++) {
            sum[i] += gradientSum[i];
        }
        lossSum += chunkLoss;
        samples += chunkSamples;
        totalSamples += chunkSamples;
        return true;
    }

    private boolean allFinite(double[] values) {
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the window holds at least {@code window} samples. */
    public boolean ready() {
        return samples >= window;
    }

    /** The window's gradient sum (live array; owners may transform it in place before {@link #clear}). */
    public double[] sum() {
        return sum;
    }

    /** Empties the window; counters are kept. */
    public void clear() {
        Arrays.fill(sum, 0.0);
        samples = 0;
        lossSum = 0;
    }

    /** Discards the window and the chunk buffer. */
    public void reset() {
        Arrays.fill(chunk, 0.0);
        clear();
    }

    public int size() {
        return size;
    }

    public int window() {
        return window;
    }

    /** Samples in the current window. */
    public long samples() {
        return samples;
    }

    /** Summed loss of the current window's samples. */
    public double lossSum() {
        return lossSum;
    }

    /** Samples accepted since construction. */
    public long totalSamples() {
        return totalSamples;
    }

    /** Chunks and batches dropped because their loss or gradient was not finite. */
    public long rejectedChunks() {
        return rejectedChunks;
    }
}
