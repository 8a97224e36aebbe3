package io.streamgru.app.topology;

/**
 * How many samples a learner task gathers before it sends its gradient window: at least the
 * configured {@code streaming.gradient.batch.samples}, and at least half of what the task learns per
 * model version (a recent average), at most {@value #MAX_MULTIPLE} times the configured number.
 *
 * <p>Why: the optimizer sums batches until it has enough samples for one step, and gathers more per
 * step while the learners run fast ({@link AdaptiveStepSize}: up to 32 times its base). Batches
 * smaller than a task's share of a step are summed there anyway, but each one costs a model-sized
 * message (57 KB at H = 64 in float32) through the producer, the broker and the optimizer's
 * consumer. Sizing the batch to the step that will use it sends the same sum in fewer messages.
 * Half the share, not all of it: a batch also makes the step it lands in overshoot its size by up to
 * one batch, and sizing on the whole share would feed that back into larger and larger batches.
 * When versions come often (a slow stream, or a fixed step) the configured size holds, as before;
 * the flush punctuation still sends any partial window after {@code streaming.gradient.flush.ms}.
 * One per learner task (not thread-safe).
 */
final class GradientBatchTarget {

    /** The target never exceeds this multiple of the configured batch ({@link AdaptiveStepSize#MAX_MULTIPLIER}). */
    static final int MAX_MULTIPLE = AdaptiveStepSize.MAX_MULTIPLIER;
    private static final double SMOOTHING = 0.2;

    private final int minSamples;
    /** Samples this task learned per model version, averaged; NaN until a first whole interval. */
    private double samplesPerVersion = Double.NaN;
    private long learnedAtLastVersion = -1;

    /** @param minSamples the configured batch size ({@code streaming.gradient.batch.samples}), at least 1 */
    GradientBatchTarget(int minSamples) {
        if (minSamples < 1) {
            throw new IllegalArgumentException("batch samples must be >= 1, got " + minSamples);
        }
        this.minSamples = minSamples;
    }

    /**
     * The task switched to a newer model version after learning from {@code learnedSoFar} samples in
     * all (a running total). The interval since the previous switch updates the average; the first
     * switch only starts the count (the task may have started mid-interval).
     */
    void versionSwitched(long learnedSoFar) {
        if (learnedAtLastVersion >= 0) {
            double interval = learnedSoFar - learnedAtLastVersion;
            samplesPerVersion = Double.isNaN(samplesPerVersion) ? interval
                    : samplesPerVersion + SMOOTHING * (interval - samplesPerVersion);
        }
        learnedAtLastVersion = learnedSoFar;
    }

    /** Samples to gather before sending a batch. */
    int samples() {
        if (Double.isNaN(samplesPerVersion)) {
            return minSamples;
        }
        long half = (long) Math.ceil(samplesPerVersion / 2);
        return (int) Math.max(minSamples, Math.min((long) minSamples * MAX_MULTIPLE, half));
    }
}
