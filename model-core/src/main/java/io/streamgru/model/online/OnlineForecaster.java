package io.streamgru.model.online;

import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.optim.GradientAccumulator;
import io.streamgru.model.optim.Optimizer;
import io.streamgru.model.optim.ScheduleSpec;
import io.streamgru.model.optim.StepOutcome;

/**
 * The online learner in one process: one shared GRU, any number of series, one record at a time,
 * prequential (every forecast is made before its truth is used). A {@link SeriesLearner} does the
 * per-record work; every W samples of chunk gradients the optimizer takes one step on the model.
 * River-style: {@link #observe} is {@code predict_one} followed by {@code learn_one}. A drift the
 * series' detector reports goes to the configured {@link DriftPolicy} (none by default), which
 * then shapes the optimizer's next steps as the streaming optimizer's does.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class OnlineForecaster {

    private final LearnerConfig config;
    private final GruModel model;
    private final GradientAccumulator accumulator;
    private final WelfordNormalizer featureNormalizer;
    private final WelfordNormalizer targetNormalizer;
    private final SeriesLearner learner;
    private final DriftPolicy driftPolicy;

    /** A new model initialised from the configuration's seed. */
    public OnlineForecaster(LearnerConfig config) {
        this(config, ModelInitialization.initialParameters(config), null, null);
    }

    /**
     * A forecaster continuing from given parameters and normaliser statistics (either may be
     * null: fresh statistics).
     */
    public OnlineForecaster(LearnerConfig config, double[] parameters, double[] featureStats, double[] targetStats) {
        this.config = config;
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        this.model = new GruModel(layout, parameters);
        this.accumulator = new GradientAccumulator(layout.size(), config.window(),
                OptimizerKind.named(config.optimizer()).create(layout.size(), config.weightDecay()),
                ScheduleSpec.parse(config.schedule(), config.learningRate()), config.clip());
        this.featureNormalizer = SeriesLearner.newFeatureNormalizer(config);
        this.targetNormalizer = SeriesLearner.newTargetNormalizer();
        if (featureStats != null) {
            featureNormalizer.importState(featureStats);
        }
        if (targetStats != null) {
            targetNormalizer.importState(targetStats);
        }
        this.learner = new SeriesLearner(config, model, featureNormalizer, targetNormalizer, accumulator,
                this::stepWhenWindowIsFull);
        this.driftPolicy = config.newDriftPolicy();
    }

    private void stepWhenWindowIsFull() {
        if (!accumulator.ready()) {
            return;
        }
        Optimizer optimizer = accumulator.optimizer();
        if (driftPolicy.resetMomentsNow()) {
            optimizer.resetMoments();
        }
        if (accumulator.step(model.parameters(), driftPolicy.learningRateMultiplier(optimizer.steps()))
                == StepOutcome.APPLIED) {
            learner.parametersChanged();
        }
    }

    /** The drift policy this forecaster's optimizer follows (its counters say what it heard and did). */
    public DriftPolicy driftPolicy() {
        return driftPolicy;
    }

    public LearnerConfig config() {
        return config;
    }

    public GruModel model() {
        return model;
    }

    public GradientAccumulator accumulator() {
        return accumulator;
    }

    public WelfordNormalizer featureNormalizer() {
        return featureNormalizer;
    }

    public WelfordNormalizer targetNormalizer() {
        return targetNormalizer;
    }

    /** A new, empty series. */
    public SeriesState newSeries() {
        return learner.newSeries();
    }

    /**
     * Consumes one record of a series and returns the forecast (in the target's units) of the
     * target {@code horizon} records ahead; see {@link SeriesLearner#observe}.
     */
    public double observe(SeriesState series, double[] features, double target) {
        double forecast = learner.observe(series, features, target);
        if (series.driftDetected()) {
            driftPolicy.onDrift(accumulator.optimizer().steps());
        }
        return forecast;
    }

    /** Records observed. */
    public long records() {
        return learner.records();
    }

    /** Missing or non-finite feature values that were imputed. */
    public long imputedValues() {
        return learner.imputedValues();
    }

    /** Chunks trained on (with at least one labelled step). */
    public long trainedChunks() {
        return learner.trainedChunks();
    }
}
