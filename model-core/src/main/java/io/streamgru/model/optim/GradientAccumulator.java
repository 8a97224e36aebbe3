package io.streamgru.model.optim;

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
public final class GradientAccumulator implements GradientSink {

    private final int size;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final GlobalNormClipper clipper;
    private final GradientWindow window;

    private long stepsApplied;
    private long skippedSteps;
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
        if (Double.isNaN(clipNorm) || clipNorm == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("clipNorm must be finite (<= 0 disables clipping), got " + clipNorm);
        }
        this.size = size;
        this.window = new GradientWindow(size, window);
        this.clipper = clipNorm > 0 ? new GlobalNormClipper(clipNorm) : null;
    }

    @Override
    public double[] chunkGradient() {
        return window.chunkGradient();
    }

    @Override
    public boolean commitChunk(double lossSum, int samples) {
        return window.commitChunk(lossSum, samples);
    }

    /**
     * Adds an externally computed gradient sum (e.g. a batch from another task) to the window,
     * with the same finiteness check as {@link #commitChunk}. {@code gradientSum} is not modified.
     *
     * @return whether the batch was accepted
     */
    public boolean addBatch(double[] gradientSum, int samples, double lossSum) {
        return window.addBatch(gradientSum, samples, lossSum);
    }

    /** Whether the window holds at least {@code window} samples. */
    public boolean ready() {
        return window.ready();
    }

    /**
     * Ends the window: averages its gradient over its samples, clips it, and lets the optimizer
     * update {@code params} at the scheduled rate; the window is then empty. A mean gradient with a
     * non-finite element or norm (a sum of squares that overflows) is discarded with the window
     * rather than clipped to zero as torch would. A window without samples is left as it is.
     */
    public StepOutcome step(double[] params) {
        return step(params, 1.0);
    }

    /**
     * As {@link #step(double[])}, with the scheduled rate multiplied by {@code rateMultiplier}, e.g.
     * a drift policy's boost; {@link #lastLearningRate()} then reports the rate actually used. The
     * schedule stays a pure function of the step.
     *
     * @param rateMultiplier finite and {@code > 0}
     */
    public StepOutcome step(double[] params, double rateMultiplier) {
        if (!(rateMultiplier > 0) || rateMultiplier == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("rate multiplier must be finite and > 0, got " + rateMultiplier);
        }
        long samples = window.samples();
        if (samples == 0) {
            return StepOutcome.EMPTY;
        }
        double[] mean = window.sum();
        lastMeanLoss = window.lossSum() / samples;
        // A finite norm implies every element is finite, so this one check covers both.
        double norm = Math.sqrt(meanAndSumOfSquares(mean, samples));
        lastGradientNorm = norm;
        if (!Double.isFinite(norm)) {
            skippedSteps++;
            window.clear();
            return StepOutcome.SKIPPED_NON_FINITE;
        }
        if (clipper != null) {
            clipper.clipGivenNorm(mean, size, norm);
        }
        double rate = schedule.rate(optimizer.steps()) * rateMultiplier;
        optimizer.step(params, mean, rate);
        lastLearningRate = rate;
        stepsApplied++;
        window.clear();
        return StepOutcome.APPLIED;
    }

    /**
     * Divides {@code sum[0..size)} by {@code samples} in place (what {@code p.grad /= count} does) and
     * returns the sum of squares of the quotients ({@link GlobalNormClipper#sumOfSquares}). For a
     * power-of-two count it multiplies by the reciprocal, which is exact, so the bits are those of
     * the division: a window of 2^k samples (the usual) spares the divisions, and scales and sums in one pass.
     */
    private double meanAndSumOfSquares(double[] sum, long samples) {
        if ((samples & (samples - 1)) == 0) {
            return GlobalNormClipper.scaleAndSumOfSquares(sum, size, 1.0 / samples);
        }
        double count = samples;
        for (int i = 0; i < size; i++) {
            sum[i] /= count;
        }
        return GlobalNormClipper.sumOfSquares(sum, size);
    }

    /** Discards the current window and chunk buffer; the optimizer and the counters are kept. */
    public void reset() {
        window.reset();
    }

    public int size() {
        return size;
    }

    public int window() {
        return window.window();
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
        return window.rejectedChunks();
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
        return window.samples();
    }

    /** Samples accepted since construction, including windows later skipped or reset. */
    public long totalSamples() {
        return window.totalSamples();
    }
}
