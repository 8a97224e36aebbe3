package io.streamgru.app.topology;

/**
 * How many samples the optimizer gathers per step, so that gradient batches reach it about
 * {@code targetLag} versions after the version they were computed on.
 *
 * <p>A batch's version lag is the time from a learner reading a version to the optimizer receiving
 * the batch (commits, fetches: a few hundred milliseconds) times the rate of versions. When the
 * learners run fast — working off a backlog, or after a restart — a fixed step makes many versions
 * per second, batches arrive tens of versions stale, and asynchronous Adam on such stale gradients
 * diverged in tests. Gathering more samples per step makes fewer, larger steps (as a larger
 * mini-batch would) and brings the lag back to the target; when the learners slow down, the step
 * shrinks back to the base. Doubling and halving, with a few steps between changes so the batches
 * in flight reflect the last change. Not thread-safe (one optimizer task).
 */
final class AdaptiveStepSize {

    static final int MAX_MULTIPLIER = 32;
    private static final double SMOOTHING = 0.2;
    private static final int STEPS_BEFORE_GROWING = 2;
    private static final int STEPS_BEFORE_SHRINKING = 8;

    private final int baseSamples;
    private final int targetLag;
    private int multiplier = 1;
    private double meanLag;
    private boolean observed;
    private int stepsSinceChange;

    /**
     * @param baseSamples samples per step when batches are fresh
     * @param targetLag   the version lag to keep batches near; 0 keeps the base step
     */
    AdaptiveStepSize(int baseSamples, int targetLag) {
        this.baseSamples = baseSamples;
        this.targetLag = targetLag;
    }

    /** Notes the version lag of an applied batch. */
    void batchApplied(long lag) {
        meanLag = observed ? meanLag + SMOOTHING * (lag - meanLag) : lag;
        observed = true;
    }

    /** After each optimizer step: grow or shrink the step from the recent lag. */
    void stepTaken() {
        stepsSinceChange++;
        if (targetLag <= 0) {
            return;
        }
        if (meanLag > targetLag && multiplier < MAX_MULTIPLIER && stepsSinceChange >= STEPS_BEFORE_GROWING) {
            multiplier *= 2;
            stepsSinceChange = 0;
        } else if (meanLag < targetLag / 2.0 && multiplier > 1 && stepsSinceChange >= STEPS_BEFORE_SHRINKING) {
            multiplier /= 2;
            stepsSinceChange = 0;
        }
    }

    int samplesPerStep() {
        return baseSamples * multiplier;
    }

    int multiplier() {
        return multiplier;
    }
}
