package io.streamgru.model.drift;

import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.ModelInitialization;
import io.streamgru.model.online.OptimizerKind;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.optim.StepOutcome;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.optim.GradientAccumulator;
import io.streamgru.model.optim.LearningRateSchedule;
import io.streamgru.model.optim.Optimizer;
import io.streamgru.model.optim.ScheduleSpec;
import java.util.Arrays;

/**
 * {@code OnlineForecaster} with a {@link DriftPolicy} applied the way docs/drift.md proposes, built
 * from the same public parts (a test may not change the forecaster itself): the schedule is wrapped
 * so that each step's rate is multiplied by the policy's multiplier for that step, and the moments
 * are zeroed before the step that follows a drift. With {@link DriftPolicy#none()} it computes
 * exactly what {@code OnlineForecaster} computes (tested).
 */
public final class PolicyForecaster {

    /** How RESET_MOMENTS is carried out. */
    public enum MomentReset {
        /** Moments zeroed, step count kept: the schedule goes on, Adam's bias correction does not restart. */
        ZERO_MOMENTS,
        /** {@code Optimizer.reset()}: moments and step count zeroed, so the schedule restarts too. */
        OPTIMIZER_RESET
    }

    private final LearnerConfig config;
    private final GruModel model;
    private final GradientAccumulator accumulator;
    private final WelfordNormalizer targetNormalizer;
    private final SeriesLearner learner;
    private final DriftPolicy policy;
    private final MomentReset momentReset;

    PolicyForecaster(LearnerConfig config, DriftPolicy policy) {
        this(config, policy, MomentReset.ZERO_MOMENTS);
    }

    PolicyForecaster(LearnerConfig config, DriftPolicy policy, MomentReset momentReset) {
        this.config = config;
        this.policy = policy;
        this.momentReset = momentReset;
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        this.model = new GruModel(layout, ModelInitialization.initialParameters(config));
        Optimizer optimizer = OptimizerKind.named(config.optimizer()).create(layout.size(), config.weightDecay());
        LearningRateSchedule base = ScheduleSpec.parse(config.schedule(), config.learningRate());
        LearningRateSchedule schedule = step -> base.rate(step) * policy.learningRateMultiplier(step);
        this.accumulator = new GradientAccumulator(layout.size(), config.window(), optimizer, schedule, config.clip());
        this.targetNormalizer = SeriesLearner.newTargetNormalizer();
        this.learner = new SeriesLearner(config, model, SeriesLearner.newFeatureNormalizer(config), targetNormalizer,
                accumulator, this::stepWhenWindowIsFull);
    }

    private void stepWhenWindowIsFull() {
        if (accumulator.ready()) {
            if (policy.resetMomentsNow()) {
                Optimizer optimizer = accumulator.optimizer();
                if (momentReset == MomentReset.OPTIMIZER_RESET) {
                    optimizer.reset();
                } else {
                    double[] state = optimizer.exportState(); // [steps, moments...]
                    Arrays.fill(state, 1, state.length, 0.0);
                    optimizer.importState(state);
                }
            }
            if (accumulator.step(model.parameters()) == StepOutcome.APPLIED) {
                learner.parametersChanged(); // as OnlineForecaster does: the forecast step runs on a prepared copy
            }
        }
    }

    SeriesState newSeries() {
        return learner.newSeries();
    }

    double observe(SeriesState series, double[] features, double target) {
        return learner.observe(series, features, target);
    }

    /** The scale of the series' training target: its CHANGE (residual) or LEVEL std. */
    double errorScale(SeriesState series) {
        return learner.errorScale(series);
    }

    /** Tells the policy about a drift, at the optimizer's current step. */
    void drift() {
        policy.onDrift(accumulator.optimizer().steps());
    }

    DriftPolicy policy() {
        return policy;
    }

    GradientAccumulator accumulator() {
        return accumulator;
    }
}
