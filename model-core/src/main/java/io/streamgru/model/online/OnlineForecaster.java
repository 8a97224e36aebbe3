package io.streamgru.model.online;

import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.optim.GradientAccumulator;
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
    private final TrainingStep training;
    private final SeriesLearner learner;

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
        this.model = new GruModel(new ParameterLayout(config.gruConfig()), parameters);
        this.training = new TrainingStep(config, config.window(), null, featureStats, targetStats);
        this.learner = new SeriesLearner(config, model, training.featureStats(), training.targetStats(),
                training.chunkSink(), this::stepWhenWindowIsFull);
    }

    private void stepWhenWindowIsFull() {
        if (training.ready() && training.step(model.parameters()) == StepOutcome.APPLIED) {
            learner.parametersChanged();
        }
    }

    /** The drift policy this forecaster's optimizer follows (its counters say what it heard and did). */
    public DriftPolicy driftPolicy() {
        return training.driftPolicy();
    }

    public LearnerConfig config() {
        return config;
    }

    public GruModel model() {
        return model;
    }

    public GradientAccumulator accumulator() {
        return training.accumulator();
    }

    /** The training step: optimizer, schedule, window and the shared statistics. */
    public TrainingStep training() {
        return training;
    }

    public WelfordNormalizer featureNormalizer() {
        return training.featureStats();
    }

    public WelfordNormalizer targetNormalizer() {
        return training.targetStats();
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
            training.onDrift();
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

    /** Chunks whose gradient the influence cap scaled down ({@code learner.chunk.influence}). */
    public long cappedChunks() {
        return learner.cappedChunks();
    }
}
