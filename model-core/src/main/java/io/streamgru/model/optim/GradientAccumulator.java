package io.streamgru.model.optim;

import java.util.Arrays;
import java.util.Objects;

/**
 * Sums per-sample gradients over a window of about {@code window} samples, then takes one
 * optimizer step with their mean. Each step does what a PyTorch loop does with
 * {@code loss_sum.backward()} per chunk, then {@code p.grad /= count},
 * {@code clip_grad_norm_(params, clipNorm)}, {@code opt.step()} and {@code opt.zero_grad()}, with
 * the learning rate {@code schedule.rate(optimizer.steps())}.
 *
 * <p>Gradients arrive in chunks (one truncated-BPTT segment, or an externally computed batch).
 * A chunk whose loss or gradient is not finite is dropped and counted instead of being added, so
 * one bad record cannot poison a window of good ones. Nothing here allocates after construction.
 * Not thread-safe.
 */
public final class GradientAccumulator {

    private final int size;
    private final int window;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final GlobalNormClipper clipper;
    private final double[] chunk;
    // Holds the window's gradient sum; at step() it is turned into the mean in place.
    private final double[] windowSum;

    private long windowSamples;
    private double windowLossSum;
    private long totalSamples;
    private long stepsApplied;
    private long skippedSteps;
    private long rejectedChunks;
    private double lastGradientNorm = Double.NaN;
    private double lastMeanLoss = Double.NaN;
    private double lastLearningRate = Double.NaN;

    /**
     * @param size number of parameters; must equal {@code optimizer.size()}
     * @param window samples per optimizer step ({@link #ready} turns true at this count)
     * @param clipNorm maximum global gradient norm; {@code <= 0} disables clipping
     */
    public GradientAccumulator(int size, int window, Optimizer optimizer, LearningRateSchedule schedule,
            double clipNorm) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (size != optimizer.size()) {
            throw new IllegalArgumentException(
                    "size " + size + " differs from the optimizer's size " + optimizer.size());
        }
        Require.atLeastOne("window", window);
        if (Double.isNaN(clipNorm) || clipNorm == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("clipNorm must be finite (<= 0 disables clipping), got " + clipNorm);
        }
        this.size = size;
        this.window = window;
        this.clipper = clipNorm > 0 ? new GlobalNormClipper(clipNorm) : null;
        this.chunk = new double[size];
        this.windowSum = new double[size];
    }

    /**
     * The scratch buffer, all zeros, into which the caller adds one chunk's gradient sum before
     * {@link #commitChunk}. Always the same array.
     */
    public double[] chunkGradient() {
        return chunk;
    }

    /**
     * Moves the chunk buffer into the window if {@code lossSum} and every gradient element are
     * finite; otherwise drops it and counts a rejected chunk. Either way the buffer is zeroed.
     *
     * @param lossSum the summed (not averaged) loss of the chunk's samples
     * @param samples how many samples the chunk's sums cover, {@code >= 0}
     * @return whether the chunk was accepted
     */
    public boolean commitChunk(double lossSum, int samples) {
        boolean accepted = accept(chunk, lossSum, samples);
        Arrays.fill(chunk, 0.0);
        return accepted;
    }

    /**
     * Adds an externally computed gradient sum (e.g. a batch from another task) to the window,
     * with the same finiteness check as {@link #commitChunk}. {@code gradientSum} is not modified.
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

    private boolean accept(double[] gradientSum, double lossSum, int samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        if (!Double.isFinite(lossSum) || !allFinite(gradientSum)) {
            rejectedChunks++;
            return false;
        }
        for (int i = 0; i < size; i++) {
            windowSum[i] += gradientSum[i];
        }
        windowLossSum += lossSum;
        windowSamples += samples;
        totalSamples += samples;
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
        return windowSamples >= window;
    }

    /**
     * Ends the window: averages its gradient over its samples, clips it, and lets the optimizer
     * update {@code params} at the scheduled rate; the window is then empty. A mean gradient with a
     * non-finite element or norm (a sum of squares that overflows) is discarded with the window
     * rather than clipped to zero as torch would. A window without samples is left as it is.
     */
    public StepOutcome step(double[] params) {
        if (windowSamples == 0) {
            return StepOutcome.EMPTY;
        }
        double count = windowSamples;
        lastMeanLoss = windowLossSum / count;
        // Divide rather than multiply by 1/count: that is what p.grad /= count does.
        for (int i = 0; i < size; i++) {
            windowSum[i] = windowSum[i] / count;
        }
        // A finite norm implies every element is finite, so this one check covers both.
        double norm = GlobalNormClipper.norm(windowSum, size);
        lastGradientNorm = norm;
        if (!Double.isFinite(norm)) {
            skippedSteps++;
            clearWindow();
            return StepOutcome.SKIPPED_NON_FINITE;
        }
        if (clipper != null) {
            clipper.clipGivenNorm(windowSum, size, norm);
        }
        double rate = schedule.rate(optimizer.steps());
        optimizer.step(params, windowSum, rate);
        lastLearningRate = rate;
        stepsApplied++;
        clearWindow();
        return StepOutcome.APPLIED;
    }

    /** Discards the current window and chunk buffer; the optimizer and the counters are kept. */
    public void reset() {
        Arrays.fill(chunk, 0.0);
        clearWindow();
    }

    private void clearWindow() {
        Arrays.fill(windowSum, 0.0);
        windowSamples = 0;
        windowLossSum = 0;
    }

    public int size() {
        return size;
    }

    public int window() {
        return window;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** Optimizer steps this accumulator applied. */
    public long stepsApplied() {
        return stepsApplied;
    }

    /** Windows dropped by {@link #step} because their mean gradient was not finite. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** Chunks and batches dropped because their loss or gradient was not finite. */
    public long rejectedChunks() {
        return rejectedChunks;
    }

    /** Global L2 norm of the last stepped window's mean gradient, before clipping; NaN before any. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** Mean loss per sample of the last stepped window (applied or skipped); NaN before any. */
    public double lastMeanLoss() {
        return lastMeanLoss;
    }

    /** Learning rate of the last applied step; NaN before any. */
    public double lastLearningRate() {
        return lastLearningRate;
    }

    /** Samples accepted into the current window. */
    public long windowSamples() {
        return windowSamples;
    }

    /** Samples accepted since construction, including windows later skipped or reset. */
    public long totalSamples() {
        return totalSamples;
    }
}
