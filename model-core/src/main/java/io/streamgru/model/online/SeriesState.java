package io.streamgru.model.online;

import io.streamgru.model.drift.DriftDetector;
import io.streamgru.model.experts.Expert;
import io.streamgru.model.interval.ConformalInterval;
import io.streamgru.model.norm.WelfordNormalizer;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the forecaster remembers about one series (one key): the live hidden state, the
 * start state and inputs of the chunk not yet trained on, the targets that arrived for it, and the
 * last values seen (for imputation and the autoregressive input), the series' own target statistics
 * (its scale: one shared model serves series in any units), the event time of its newest reading,
 * the drift detector watching the series' prequential error, the calibration of its prediction
 * intervals, the recent target changes the linear path reads, the weights of the experts its
 * published forecast combines and, with a season, its last season of targets. Size is
 * O(L·H + (k+horizon)·I + p + N·horizon + season).
 */
public final class SeriesState {

    final double[] live;
    final double[] chunkStart;
    /** Inputs of steps [chunkStartStep, steps), normalised as seen, {@code inputSize} per step. */
    final double[] inputs;
    /** Normalised targets of the same steps, where {@link #labelled}. */
    final double[] targets;
    final boolean[] labelled;
    final double[] lastFeatures;
    /** The model's own forecasts not yet resolved, by step modulo the horizon (horizon 0: one slot). */
    final double[] forecasts;
    /** The persistence forecasts (last known target at forecast time) in the same slots. */
    final double[] baselines;
    /** The forecast published for the target of the record observed last (NaN if none was made). */
    double resolvedForecast = Double.NaN;
    /** The model's own forecast for that target (the same as {@link #resolvedForecast} without the combination); not persisted. */
    double resolvedModelForecast = Double.NaN;
    /** The model's own forecast made from the record observed last; not persisted. */
    double modelForecast = Double.NaN;
    /**
     * The combination's weights ({@link io.streamgru.model.experts.FixedShareAggregation}): N per
     * forecast slot, experts in {@link SeriesLearner#experts} order; empty without the combination.
     */
    final double[] expertWeights;
    /** The linear path's own forecasts not yet resolved, by slot; empty unless it is an expert. */
    final double[] linearForecasts;
    /** The targets of the series' last season of records, when seasonal naive is an expert; else null. */
    final SeasonalHistory seasonal;
    /** Seasonal naive's forecasts not yet resolved, by slot; empty unless it is an expert. */
    final double[] seasonalForecasts;
    /** The expert of largest weight in the forecast made last (null: no combination); not persisted. */
    Expert expert;
    /** The persistence forecast for that same target. */
    double resolvedBaseline = Double.NaN;
    long steps;
    long chunkStartStep;
    double lastTarget = Double.NaN;
    /** Change between the last two known targets (NaN until there are two). */
    double lastStep = Double.NaN;
    /**
     * The series' target statistics ({@link SeriesLearner#TARGET_STATS_DIMS} dimensions: level, change,
     * step): the model sees this series' targets z-scored by its own mean and spread.
     */
    final WelfordNormalizer targetStats = new WelfordNormalizer(SeriesLearner.TARGET_STATS_DIMS);
    /** The series' own feature statistics with {@link FeatureScaling#PER_KEY} (and features), else null. */
    final WelfordNormalizer featureStats;
    /** Event time of the newest reading observed with a time ({@link Long#MIN_VALUE}: none yet). */
    long lastTime = Long.MIN_VALUE;
    /** The series' drift detector (null when none is configured); persisted with the state. */
    final DriftDetector drift;
    /** Whether the record observed last set off {@link #drift}; not persisted (it describes one record). */
    boolean drifted;
    /**
     * The linear path's history: the normalised target changes (the autoregressive change input, as
     * seen) of the {@code linearLags − 1} steps before the next one, newest first; 0 where unknown.
     */
    final double[] recentChanges;
    /** The same for the steps before the pending chunk's first step: the linear path's chunk start state. */
    final double[] chunkStartChanges;
    /** The series' prediction intervals, calibrated on its own errors; persisted with the state. */
    final ConformalInterval interval;
    /** Half-width of the interval of the forecast made last (NaN: none); not persisted. */
    double halfWidth = Double.NaN;
    /** Half-width of the interval of the forecast resolved last (NaN: none); not persisted. */
    double resolvedHalfWidth = Double.NaN;

    SeriesState(LearnerConfig config) {
        int stateSize = config.layers() * config.hidden();
        int capacity = config.chunk() + config.horizon();
        live = new double[stateSize];
        chunkStart = new double[stateSize];
        inputs = new double[capacity * config.inputSize()];
        targets = new double[capacity];
        labelled = new boolean[capacity];
        lastFeatures = new double[config.features()];
        Arrays.fill(lastFeatures, Double.NaN);
        forecasts = new double[Math.max(1, config.horizon())];
        Arrays.fill(forecasts, Double.NaN);
        baselines = new double[forecasts.length];
        Arrays.fill(baselines, Double.NaN);
        drift = config.driftDetector().newDetector();
        recentChanges = new double[Math.max(0, config.linearLags() - 1)];
        chunkStartChanges = new double[recentChanges.length];
        interval = new ConformalInterval(config.intervalLevel(), forecasts.length);
        Expert[] panel = SeriesLearner.experts(config);
        expertWeights = new double[panel.length * forecasts.length];
        Arrays.fill(expertWeights, panel.length == 0 ? 0 : 1.0 / panel.length);
        List<Expert> experts = List.of(panel);
        linearForecasts = new double[experts.contains(Expert.LINEAR) ? forecasts.length : 0];
        Arrays.fill(linearForecasts, Double.NaN);
        boolean seasonalExpert = experts.contains(Expert.SEASONAL_NAIVE);
        seasonal = seasonalExpert ? new SeasonalHistory(config.season()) : null;
        seasonalForecasts = new double[seasonalExpert ? forecasts.length : 0];
        Arrays.fill(seasonalForecasts, Double.NaN);
        featureStats = config.featureScaling() == FeatureScaling.PER_KEY && config.features() > 0
                ? new WelfordNormalizer(config.features()) : null;
    }

    /** Records consumed so far. */
    public long steps() {
        return steps;
    }

    /**
     * The forecast that was made for the target of the record observed last: made {@code horizon}
     * records earlier (or, for horizon 0, with this record's inputs, before its target was used).
     * NaN when none was made (the series' first {@code horizon} records).
     */
    public double resolvedForecast() {
        return resolvedForecast;
    }

    /**
     * The model's own forecast for the same target as {@link #resolvedForecast()}: before the
     * combination with other experts (equal to it when the combination is off). NaN when none.
     */
    public double resolvedModelForecast() {
        return resolvedModelForecast;
    }

    /**
     * The model's own forecast made from the record observed last (what {@link SeriesLearner#observe}
     * returns when the combination is off). NaN when none was made.
     */
    public double modelForecast() {
        return modelForecast;
    }

    /**
     * The expert of largest weight in the forecast made from the record observed last (the one that
     * dominates it); null when the combination is off.
     */
    public Expert dominantExpert() {
        return expert;
    }

    /**
     * The persistence baseline's forecast for the same target as {@link #resolvedForecast()}: the
     * last target known when that forecast was made. NaN when there was none.
     */
    public double resolvedBaseline() {
        return resolvedBaseline;
    }

    /**
     * Whether the error of the forecast resolved by the record observed last set off the series'
     * drift detector: the series' errors have just risen significantly. False when no detector is
     * configured or that record scored no forecast.
     */
    public boolean driftDetected() {
        return drifted;
    }

    /** Drifts the series' detector has detected (since the detector was created or its state lost); 0 without one. */
    public long driftDetections() {
        return drift == null ? 0 : drift.detections();
    }

    /**
     * Where a reading with event time {@code eventTime} falls for this series: after its newest
     * reading, at the same time as it, or before it.
     */
    public ReadingOrder orderOf(long eventTime) {
        if (lastTime == Long.MIN_VALUE || eventTime > lastTime) {
            return ReadingOrder.NEXT;
        }
        return eventTime == lastTime ? ReadingOrder.DUPLICATE : ReadingOrder.LATE;
    }

    /**
     * Half-width of the prediction interval of the forecast made from the record observed last: the
     * interval is that forecast ± this, at the configured level. NaN while the series has no resolved
     * error yet (no interval).
     */
    public double intervalHalfWidth() {
        return halfWidth;
    }

    /**
     * Half-width of the interval that was issued with {@link #resolvedForecast()} (NaN when that
     * forecast had none, or there is none): it covered the truth if |truth − forecast| ≤ this.
     */
    public double resolvedHalfWidth() {
        return resolvedHalfWidth;
    }

    /** Event time of the newest reading observed with a time; {@link Long#MIN_VALUE} when none. */
    public long lastTime() {
        return lastTime;
    }

    /** The series' own target statistics (read-only for callers). */
    public WelfordNormalizer targetStats() {
        return targetStats;
    }

    /** The live hidden state (layer after layer); read-only for callers. */
    public double[] hiddenState() {
        return live;
    }
}
