package io.streamgru.model.online;

import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.optim.GradientAccumulator;
import io.streamgru.model.optim.GradientSink;
import io.streamgru.model.optim.Optimizer;
import io.streamgru.model.optim.ParameterGroupRate;
import io.streamgru.model.optim.ScheduleSpec;
import io.streamgru.model.optim.StepOutcome;

/**
 * Turns gradients into model updates: the one place that builds, for a {@link LearnerConfig}, the
 * optimizer (with its weight decay), the learning-rate schedule, the global-norm clipping and the
 * {@link GradientAccumulator} that sums gradients until a step; that keeps the statistics the shared
 * model carries; and that lets the configured {@link DriftPolicy} shape the steps. Evaluate, the live
 * optimizer, replay and model import all build their training from here, so a guard or a learning
 * feature added here holds for all of them.
 *
 * <p>A step is what a PyTorch loop does with {@code p.grad /= count; clip_grad_norm_; opt.step()}
 * at {@code schedule.rate(step) · policy multiplier}. Gradients come in two ways: chunk by chunk from
 * an in-process learner ({@link #chunkSink()}), or as batches summed elsewhere ({@link #addBatch}).
 * Guards: a batch whose loss or gradient is not finite is rejected and counted, a window whose mean
 * gradient is not finite is discarded and counted (parameters untouched) — nothing non-finite ever
 * reaches the optimizer, and nothing is retried.
 *
 * <p>With a linear path, the GRU and its head form a parameter group of their own whose rate is a
 * multiple of the path's ({@link LearnerConfig#linearGruSchedule()}, a {@link ParameterGroupRate}):
 * the path, a linear model of the recent history, settles on the linear part of the dynamics while
 * the GRU, after a first phase at the same rate, follows more slowly (docs/QUALITY.md).
 *
 * <p>Shared statistics: the feature normaliser (every series' features in one set of statistics) and
 * the shared target statistics of releases before per-series target scaling, kept so that key states
 * written by those releases can be migrated; new learners leave them unchanged.
 *
 * <p>Not thread-safe. Allocates nothing per step.
 */
public final class TrainingStep {

    private final LearnerConfig config;
    private final Optimizer optimizer;
    private final GradientAccumulator accumulator;
    private final DriftPolicy driftPolicy;
    private final WelfordNormalizer featureStats;
    private final WelfordNormalizer targetStats;
    /** The GRU's and head's rate relative to the linear path's; null without a linear path. */
    private final ParameterGroupRate gruRate;
    private boolean lastStepResetMoments;

    /**
     * @param samplesPerStep  samples a window gathers before {@link #ready()}
     * @param optimizerState  the optimizer's exported state to continue from; null or empty = fresh
     * @param featureStats    shared feature statistics to continue from; null = fresh
     * @param targetStats     shared (pre-per-series) target statistics; null = fresh
     * @throws IllegalArgumentException if a state does not fit this configuration
     */
    public TrainingStep(LearnerConfig config, int samplesPerStep, double[] optimizerState, double[] featureStats,
                        double[] targetStats) {
        this.config = config;
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        int size = layout.size();
        // The linear path's weight is the layout's last tensor: everything before it is the GRU's group.
        this.gruRate = config.linearPath()
                ? new ParameterGroupRate(0, layout.linearWeight(), ScheduleSpec.parse(config.linearGruSchedule(), 1.0))
                : null;
        this.optimizer = OptimizerKind.named(config.optimizer()).create(size, config.weightDecay());
        if (optimizerState != null && optimizerState.length > 0) {
            optimizer.importState(optimizerState);
        }
        this.accumulator = new GradientAccumulator(size, samplesPerStep, optimizer,
                ScheduleSpec.parse(config.schedule(), config.learningRate()), config.clip());
        this.driftPolicy = config.newDriftPolicy();
        this.featureStats = SeriesLearner.newFeatureNormalizer(config);
        this.targetStats = SeriesLearner.newTargetNormalizer();
        if (featureStats != null) {
            this.featureStats.importState(featureStats);
        }
        if (targetStats != null) {
            this.targetStats.importState(targetStats);
        }
    }

    /**
     * Checks that states fit this configuration, as the constructor would take them.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public static void checkFits(LearnerConfig config, double[] optimizerState, double[] featureStats,
                                 double[] targetStats) {
        new TrainingStep(config, 1, optimizerState, featureStats, targetStats);
    }

    /** Fresh training for a configuration: a new optimizer, fresh statistics. */
    public static TrainingStep fresh(LearnerConfig config, int samplesPerStep) {
        return new TrainingStep(config, samplesPerStep, null, null, null);
    }

    /** Where an in-process learner puts its chunk gradients (the same window {@link #addBatch} adds to). */
    public GradientSink chunkSink() {
        return accumulator;
    }

    /**
     * Adds a gradient summed elsewhere (a learner task's batch, a replayed window). Rejected and
     * counted in {@link #rejectedBatches()} if its loss or any element is not finite.
     *
     * @return whether it was added
     */
    public boolean addBatch(double[] gradientSum, int samples, double lossSum) {
        return accumulator.addBatch(gradientSum, samples, lossSum);
    }

    /** Folds a learner's statistics deltas into the shared statistics (their exported states). */
    public void mergeStatistics(WelfordNormalizer featureDelta, WelfordNormalizer targetDelta) {
        featureStats.merge(featureDelta);
        targetStats.merge(targetDelta);
    }

    /** Whether the window holds {@code samplesPerStep} samples. */
    public boolean ready() {
        return accumulator.ready();
    }

    /** Samples in the current window. */
    public long windowSamples() {
        return accumulator.windowSamples();
    }

    /**
     * Ends the window with one optimizer step on {@code parameters} (in place), at the scheduled rate
     * times the drift policy's multiplier; a reset of the moments the policy asked for happens first.
     */
    public StepOutcome step(double[] parameters) {
        // resetMomentsNow() consumes the policy's pending reset: ask once per step.
        lastStepResetMoments = driftPolicy.resetMomentsNow();
        if (lastStepResetMoments) {
            optimizer.resetMoments();
        }
        long step = optimizer.steps();
        if (gruRate != null) {
            gruRate.remember(parameters);
        }
        StepOutcome outcome = accumulator.step(parameters, driftPolicy.learningRateMultiplier(step));
        if (gruRate != null && outcome == StepOutcome.APPLIED) {
            gruRate.scaleUpdate(parameters, step);
        }
        return outcome;
    }

    /** Whether the last {@link #step} zeroed the optimizer's moments first, as the drift policy asked. */
    public boolean lastStepResetMoments() {
        return lastStepResetMoments;
    }

    /**
     * A series reported a drift: the policy hears it at the current optimizer step.
     *
     * @return whether the policy acts on it (a boost starts, a reset is scheduled)
     */
    public boolean onDrift() {
        long actedOn = driftPolicy.actedOn();
        driftPolicy.onDrift(optimizer.steps());
        return driftPolicy.actedOn() > actedOn;
    }

    /** Discards the current window; the optimizer, statistics and counters are kept. */
    public void discardWindow() {
        accumulator.reset();
    }

    public LearnerConfig config() {
        return config;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public DriftPolicy driftPolicy() {
        return driftPolicy;
    }

    /** The shared feature statistics. */
    public WelfordNormalizer featureStats() {
        return featureStats;
    }

    /** The shared target statistics (see the class comment). */
    public WelfordNormalizer targetStats() {
        return targetStats;
    }

    /** The accumulator, for its counters (steps applied, skipped windows, last loss, norm and rate). */
    public GradientAccumulator accumulator() {
        return accumulator;
    }

    /** Mean loss per sample of the last stepped window; NaN before any. */
    public double lastMeanLoss() {
        return accumulator.lastMeanLoss();
    }

    /** Batches and chunks rejected because their loss or gradient was not finite. */
    public long rejectedBatches() {
        return accumulator.rejectedChunks();
    }
}
