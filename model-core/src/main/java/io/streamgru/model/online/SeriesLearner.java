package io.streamgru.model.online;

import io.streamgru.model.drift.DriftDetector;
import io.streamgru.model.experts.Expert;
import io.streamgru.model.experts.FixedShareAggregation;
import io.streamgru.model.gru.ForwardTrace;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.PreparedModel;
import io.streamgru.model.gru.StepWorkspace;
import io.streamgru.model.gru.TruncatedBptt;
import io.streamgru.model.interval.ConformalInterval;
import io.streamgru.model.loss.Loss;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.optim.GlobalNormClipper;
import io.streamgru.model.optim.GradientSink;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-record work of online forecasting, for any number of series sharing one model:
 * {@link #observe} imputes missing features, normalises, advances the series' live hidden state
 * and returns the forecast of the target {@code horizon} records ahead (prequential: before its
 * truth is used). When the truth of a whole chunk of k steps is known it runs truncated BPTT over
 * that chunk from the chunk's start state with the CURRENT model, puts the gradient into the
 * {@link GradientSink} and tells the owner, who decides when to step an optimizer (in process) or
 * to publish a gradient batch (in a streaming task).
 *
 * <p>Normalisation: features and target are z-scored online (Welford, see {@link WelfordNormalizer}
 * for the scale rule: no absolute floor, z clipped to ±10). The target is scaled per series, by
 * statistics kept in its {@link SeriesState} (as global forecasting models such as DeepAR scale each
 * series): the shared model sees only scale-free numbers, so series in any units share it. The
 * target statistics have three dimensions: LEVEL, the target itself (the autoregressive input,
 * direct outputs); CHANGE, the target minus the autoregressive input it is forecast from (residual
 * outputs); STEP, the change between two consecutive known targets (the second autoregressive
 * input). Features are z-scored by statistics shared by all series (one set per model, merged by
 * the {@link TrainingStep}), or with {@link FeatureScaling#PER_KEY} by the series' own (24 bytes per
 * feature in every key's state).
 *
 * <p>A new series' first forecast comes with its first record: its last target plus its mean
 * change so far (persistence, at first) until the spread of its changes is known, then plus the
 * model's change in the series' units.
 *
 * <p>Every forecast comes with a prediction interval at {@link LearnerConfig#intervalLevel()}
 * ({@link SeriesState#intervalHalfWidth()}), calibrated per series on its own absolute errors by
 * {@link ConformalInterval}; intervals never influence the model.
 *
 * <p>With {@link LearnerConfig#combine()} the forecast published (returned, scored, given an
 * interval) is the per-series combination of the model's forecast with persistence (and the linear
 * path alone, with a linear path; and seasonal naive, with {@link LearnerConfig#season()}: the rule of
 * {@link SeasonalHistory}, persistence where it has nothing) by {@link FixedShareAggregation}, the weights kept in the series'
 * state: a safety net, never the model: the model trains on its own forecasts' errors and the drift
 * detector watches them, so the model's forecasts and parameters are the same with the combination
 * on or off ({@link SeriesState#modelForecast()}, {@link SeriesState#resolvedModelForecast()}).
 *
 * <p>Not thread-safe: one instance per thread. Allocates nothing per record.
 */
public final class SeriesLearner {

    /** Called after each chunk's gradient went into the sink. */
    @FunctionalInterface
    public interface ChunkListener {
        void chunkCommitted();
    }

    static final int LEVEL = 0;
    static final int CHANGE = 1;
    static final int STEP = 2;
    /** Dimensions of the target normaliser. */
    public static final int TARGET_STATS_DIMS = 3;

    private final LearnerConfig config;
    private final TruncatedBptt bptt;
    private final GradientSink sink;
    private final ChunkListener listener;
    private final Loss loss;
    private final WelfordNormalizer featureNormalizer;
    private final WelfordNormalizer targetNormalizer;
    private final double[] x;
    /** The linear path's inputs of the live step (empty without a linear path). */
    private final double[] u;
    /** The linear path's inputs of a chunk's steps, for training. */
    private final double[] chunkLinearInputs;
    private final double[] out = new double[1];
    private final double[] stats = new double[TARGET_STATS_DIMS];
    private final double[] endState;
    /** The combination's rule (null when off), its experts, their forecasts of one slot and the linear path's output alone. */
    private final FixedShareAggregation aggregation;
    private final Expert[] panel;
    private final double[] expertForecasts;
    private final double[] linearOut = new double[1];
    private GruModel model;
    // The live forecast step runs on a prepared copy (about twice as fast); refreshed on every change.
    private PreparedModel prepared;
    private WelfordNormalizer featureDelta;
    private final StepWorkspace workspace;
    /**
     * The forecast steps' activations of the chunks in flight (those forecast but not yet trained),
     * by chunk number modulo their count, so a chunk's training can reuse them instead of computing
     * its forward pass again (when no optimizer step fell in between; {@link ForwardTrace}). In memory
     * only, for the series last stepped: another series' step replaces them.
     */
    private final ForwardTrace[] traces;

    /** How many typical chunks' gradient (per sample) one chunk may carry at most; 0 = no cap. */
    private final double maxChunkInfluence;
    /** Weight of the newest chunk in the running typical gradient norm. */
    private static final double TYPICAL_RATE = 0.01;
    private double typicalChunkNorm;
    private long cappedChunks;
    private long records;
    private long imputedValues;
    private long trainedChunks;
    private long reusedForwardChunks;

    public SeriesLearner(LearnerConfig config, GruModel model, WelfordNormalizer featureNormalizer,
                         WelfordNormalizer targetNormalizer, GradientSink sink, ChunkListener listener) {
        if (!model.config().equals(config.gruConfig())) {
            throw new IllegalArgumentException("model " + model.config() + " does not match " + config.gruConfig());
        }
        if (targetNormalizer.dims() != TARGET_STATS_DIMS || featureNormalizer.dims() != Math.max(1, config.features())) {
            throw new IllegalArgumentException("normaliser dimensions do not match the configuration");
        }
        this.config = config;
        this.model = model;
        this.prepared = new PreparedModel(model);
        this.workspace = model.newWorkspace();
        this.bptt = new TruncatedBptt(config.gruConfig(), config.chunk(), false);
        this.traces = config.learn() ? traces(config) : new ForwardTrace[0];
        this.sink = sink;
        this.listener = listener;
        this.loss = Loss.named(config.loss(), config.huberDelta());
        this.maxChunkInfluence = config.chunkInfluence();
        this.featureNormalizer = featureNormalizer;
        this.targetNormalizer = targetNormalizer;
        this.x = new double[config.inputSize()];
        this.u = new double[config.linearInputs()];
        this.chunkLinearInputs = new double[config.chunk() * config.linearInputs()];
        this.endState = new double[config.layers() * config.hidden()];
        this.panel = experts(config);
        this.aggregation = panel.length == 0 ? null
                : FixedShareAggregation.standard(panel.length, Math.max(1, config.horizon()));
        this.expertForecasts = new double[panel.length];
    }

    /**
     * The experts a series' published forecast combines, in the order of its weights: none without
     * the combination; the model and persistence; the linear path alone when there is one; seasonal
     * naive when there is a season (always last: a stored state's weights are read in this order).
     */
    public static Expert[] experts(LearnerConfig config) {
        if (!config.combine()) {
            return new Expert[0];
        }
        List<Expert> panel = new ArrayList<>(List.of(Expert.MODEL, Expert.PERSISTENCE));
        if (config.linearPath()) {
            panel.add(Expert.LINEAR);
        }
        if (config.season() > 0) {
            panel.add(Expert.SEASONAL_NAIVE);
        }
        return panel.toArray(new Expert[0]);
    }

    /**
     * One trace per chunk that can be forecast but not yet trained at once: the steps forecast and
     * not yet resolved span {@code horizon} records, so ⌈(horizon − 1) / k⌉ + 1 chunks (1 at horizon 0 and 1).
     */
    private static ForwardTrace[] traces(LearnerConfig config) {
        int k = config.chunk();
        int inFlight = 1 + (Math.max(0, config.horizon() - 1) + k - 1) / k;
        ForwardTrace[] traces = new ForwardTrace[inFlight];
        for (int i = 0; i < inFlight; i++) {
            traces[i] = new ForwardTrace(config.gruConfig(), k);
        }
        return traces;
    }

    /** Fresh feature statistics for a configuration. */
    public static WelfordNormalizer newFeatureNormalizer(LearnerConfig config) {
        return new WelfordNormalizer(Math.max(1, config.features()));
    }

    /** Fresh target statistics. */
    public static WelfordNormalizer newTargetNormalizer() {
        return new WelfordNormalizer(TARGET_STATS_DIMS);
    }

    public LearnerConfig config() {
        return config;
    }

    public GruModel model() {
        return model;
    }

    /** Switches to another version of the model (same shape); takes effect from the next record. */
    public void useModel(GruModel next) {
        if (!next.config().equals(config.gruConfig())) {
            throw new IllegalArgumentException("model " + next.config() + " does not match " + config.gruConfig());
        }
        this.model = next;
        this.prepared = new PreparedModel(next);
    }

    /**
     * Must be called after the current model's parameters were changed in place (an optimizer step):
     * both the forecasts and the chunks' training run on the prepared snapshot this refreshes.
     */
    public void parametersChanged() {
        prepared.refresh();
    }

    /**
     * Also records every update of the shared feature statistics in {@code features}: a streaming
     * task sends what it saw since its last gradient batch, and the optimizer merges it into the
     * shared statistics. (Target statistics are per series and stay in the series' state.)
     */
    public void trackStatisticsIn(WelfordNormalizer features) {
        if (features.dims() != featureNormalizer.dims()) {
            throw new IllegalArgumentException("normaliser dimensions do not match the configuration");
        }
        this.featureDelta = features;
    }

    /** The feature statistics this learner normalises with (live). */
    public WelfordNormalizer featureNormalizer() {
        return featureNormalizer;
    }

    /**
     * The shared target statistics of releases before per-series scaling: no longer updated, kept
     * so that a series state written by such a release can be migrated ({@link SeriesStateCodec}).
     */
    public WelfordNormalizer targetNormalizer() {
        return targetNormalizer;
    }

    /** A new, empty series. */
    public SeriesState newSeries() {
        return new SeriesState(config);
    }

    /**
     * As {@link #observe(SeriesState, double[], double)}, for a reading with its own event time,
     * which becomes the series' newest ({@link SeriesState#orderOf} tells a driver beforehand whether
     * it is the next one); {@link Long#MIN_VALUE} means the reading has no time of its own.
     */
    public double observe(SeriesState series, long eventTime, double[] features, double target) {
        series.lastTime = eventTime;
        return observe(series, features, target);
    }

    /**
     * Consumes one record of a series and returns the forecast, in the target's units, of the target
     * {@code horizon} records ahead; a missing (NaN) target leaves its step unlabelled.
     */
    public double observe(SeriesState series, double[] features, double target) {
        records++;
        // Drivers reject values beyond the learnable range (OUT_OF_RANGE); here they are missing values,
        // so that no caller can make a statistic, a gradient or a parameter non-finite.
        boolean known = LearnableRange.contains(target);
        if (!known) {
            target = Double.NaN;
        }
        int horizon = config.horizon();
        if (horizon >= 1) {
            // This record's target is the truth of the forecast made `horizon` steps ago: known or not,
            // that step is resolved now, so a series whose targets stop arriving still trains and stays bounded.
            if (known) {
                updateTarget(series, target);
            }
            label(series, series.steps - horizon, known ? target : Double.NaN);
        }
        buildInput(series, features);
        int inputSize = config.inputSize();
        double base = series.lastTarget;
        if (config.learn()) {
            // Keep what the chunk's training will replay; inference-only runs keep nothing.
            int pos = (int) (series.steps - series.chunkStartStep);
            System.arraycopy(x, 0, series.inputs, pos * inputSize, inputSize);
        }
        boolean linearExpert = series.linearForecasts.length > 0;
        if (config.linearPath()) {
            linearInputs(x, 0, series.recentChanges, u, 0);
            if (linearExpert) {
                // The path's part is an expert's forecast too: computed once, then added to the head's
                // output as the step with the path would (the same bits).
                forecastStep(series, null);
                prepared.linearOutputs(u, linearOut);
                out[0] += linearOut[0];
            } else {
                forecastStep(series, u);
            }
            pushChange(series.recentChanges, x[config.features() + 1]);
        } else {
            forecastStep(series, null);
        }
        long step = series.steps++;
        double prediction = forecast(series.targetStats, out[0], base);
        double linearAlone = linearExpert ? forecast(series.targetStats, linearOut[0], base) : Double.NaN;
        double seasonal = seasonalNaive(series, step, target, base);
        int slot = (int) (step % series.forecasts.length);
        series.modelForecast = prediction;
        if (horizon >= 1) {
            // The slot's forecasts are resolved by this record's target: score the experts, then reuse the slot.
            series.resolvedModelForecast = series.forecasts[slot];
            series.resolvedBaseline = series.baselines[slot];
            series.resolvedForecast = combineResolved(series, slot, target);
        }
        series.forecasts[slot] = prediction;
        series.baselines[slot] = base;
        if (linearExpert) {
            series.linearForecasts[slot] = linearAlone;
        }
        if (series.seasonal != null) {
            series.seasonalForecasts[slot] = seasonal;
        }
        double published = publish(series, slot);
        if (horizon == 0) {
            series.resolvedModelForecast = prediction;
            series.resolvedBaseline = base;
            series.resolvedForecast = published;
            if (known) {
                updateTarget(series, target);
            }
            label(series, step, known ? target : Double.NaN);
            if (aggregation != null) {
                slotForecasts(series, slot);
                aggregation.update(series.expertWeights, slot, expertForecasts, target, errorScale(series));
            }
        }
        watchForDrift(series, target);
        calibrateInterval(series, slot, published, target);
        return published;
    }

    /**
     * The forecast step on the series' live state (with the linear path's inputs {@code linear}, or
     * null for the GRU and head alone), recorded into the trace of its chunk when this learner trains.
     */
    private void forecastStep(SeriesState series, double[] linear) {
        if (traces.length == 0) {
            if (linear == null) {
                prepared.step(series.live, x, out, workspace);
            } else {
                prepared.step(series.live, x, linear, out, workspace);
            }
            return;
        }
        int k = config.chunk();
        long offset = series.steps - series.chunkStartStep;
        long chunkNumber = series.chunkStartStep / k + offset / k;
        ForwardTrace trace = traces[(int) (chunkNumber % traces.length)];
        int pos = (int) (offset % k);
        if (linear == null) {
            prepared.step(series.live, x, out, workspace, trace, pos);
        } else {
            prepared.step(series.live, x, linear, out, workspace, trace, pos);
        }
    }

    /** The trace the chunk starting at the series' {@code chunkStartStep} was recorded into (see {@link #forecastStep}). */
    private ForwardTrace chunkTrace(SeriesState series) {
        return traces.length == 0 ? null : traces[(int) ((series.chunkStartStep / config.chunk()) % traces.length)];
    }

    /**
     * The combination the slot's forecasts were published as (its weights are untouched since), then
     * the update of those weights by this record's target; the model's own forecast without the combination.
     */
    private double combineResolved(SeriesState series, int slot, double target) {
        if (aggregation == null) {
            return series.forecasts[slot];
        }
        slotForecasts(series, slot);
        double resolved = aggregation.combine(series.expertWeights, slot, expertForecasts);
        aggregation.update(series.expertWeights, slot, expertForecasts, target, errorScale(series));
        return resolved;
    }

    /** The forecast to publish for the slot's experts now, and which expert dominates it. */
    private double publish(SeriesState series, int slot) {
        if (aggregation == null) {
            return series.forecasts[slot];
        }
        slotForecasts(series, slot);
        series.expert = panel[aggregation.dominant(series.expertWeights, slot)];
        return aggregation.combine(series.expertWeights, slot, expertForecasts);
    }

    /** The experts' forecasts kept in the slot, in {@link #experts} order. */
    private void slotForecasts(SeriesState series, int slot) {
        int i = 0;
        expertForecasts[i++] = series.forecasts[slot];
        expertForecasts[i++] = series.baselines[slot];
        if (series.linearForecasts.length > 0) {
            expertForecasts[i++] = series.linearForecasts[slot];
        }
        if (series.seasonal != null) {
            expertForecasts[i] = series.seasonalForecasts[slot];
        }
    }

    /**
     * Puts this record's target (NaN: unknown) into the series' seasonal history and returns the
     * seasonal naive forecast made now, with the model's timing: at horizon 0 of this record's own
     * target, from the records before it; else of the target {@code horizon} records ahead. Where
     * the history has nothing, persistence ({@code base}); NaN without a seasonal expert.
     */
    private double seasonalNaive(SeriesState series, long step, double target, double base) {
        SeasonalHistory history = series.seasonal;
        if (history == null) {
            return Double.NaN;
        }
        double forecast;
        if (config.horizon() == 0) {
            forecast = history.forecast(step - 1, 1);
            history.put(step, target);
        } else {
            history.put(step, target);
            forecast = history.forecast(step, config.horizon());
        }
        return Double.isNaN(forecast) ? base : forecast;
    }

    /**
     * Resolves the interval of the forecast this record's target settles and issues one for the
     * forecast just made (horizon 0: the same forecast, issued before its truth is used), so every
     * interval is calibrated only on errors known before it was issued.
     */
    private void calibrateInterval(SeriesState series, int slot, double prediction, double target) {
        ConformalInterval interval = series.interval;
        if (config.horizon() == 0) {
            series.halfWidth = interval.issue(slot);
            series.resolvedHalfWidth = series.halfWidth;
            interval.resolve(slot, Math.abs(target - prediction));
        } else {
            series.resolvedHalfWidth = interval.issued(slot);
            interval.resolve(slot, Math.abs(target - series.resolvedForecast));
            series.halfWidth = interval.issue(slot);
        }
    }

    /**
     * Feeds the error of the model's forecast resolved by this record to the series' drift detector, in the
     * loss's units ({@link DriftDetector#absoluteError} with {@link #errorScale()}): one set of
     * detector parameters then fits every series, whatever its units.
     */
    private void watchForDrift(SeriesState series, double target) {
        DriftDetector drift = series.drift;
        double forecast = series.resolvedModelForecast; // the model's own: the combination never changes the model
        series.drifted = drift != null && Double.isFinite(target) && Double.isFinite(forecast)
                && drift.update(DriftDetector.absoluteError(forecast, target, errorScale(series)));
    }

    /**
     * A series' unit of error: the standard deviation its training target is z-scored with
     * (CHANGE for residual forecasts, LEVEL otherwise; 0 while unknown), or 1 when the target is not
     * normalised.
     */
    public double errorScale(SeriesState series) {
        if (!config.normalize()) {
            return 1.0;
        }
        return series.targetStats.std(config.residual() ? CHANGE : LEVEL);
    }

    /** The model's (normalised) output in the target's units, by the series' statistics. */
    private double forecast(WelfordNormalizer stats, double output, double base) {
        if (!config.residual()) {
            return config.normalize() ? stats.denormalize(output, LEVEL) : output;
        }
        if (Double.isNaN(base)) {
            return stats.mean(LEVEL); // no target seen yet in this series
        }
        return base + (config.normalize() ? stats.denormalize(output, CHANGE) : output);
    }

    private void updateTarget(SeriesState series, double target) {
        double step = target - series.lastTarget; // NaN for a series' first target
        series.lastStep = step;
        series.lastTarget = target;
        updateStats(series, target, Double.NaN, step);
    }

    /** The series' target statistics move in inference-only runs too: they are the key's scale, not the model's. */
    private void updateStats(SeriesState series, double level, double change, double step) {
        if (config.normalize()) {
            stats[LEVEL] = level;
            stats[CHANGE] = change;
            stats[STEP] = step;
            series.targetStats.update(stats, 0);
        }
    }

    /** Features (imputed, normalised) then the autoregressive input (the latest known target). */
    private void buildInput(SeriesState series, double[] features) {
        int f = config.features();
        for (int j = 0; j < f; j++) {
            double v = features[j];
            x[j] = LearnableRange.contains(v) ? v : Double.NaN; // the normaliser skips NaN per dimension
        }
        // Per-key statistics are the key's scale and move in inference-only runs too; shared ones are the model's.
        WelfordNormalizer scale = series.featureStats != null ? series.featureStats : featureNormalizer;
        if (config.normalize() && f > 0) {
            if (series.featureStats != null) {
                series.featureStats.update(x, 0);
            } else if (config.learn()) {
                featureNormalizer.update(x, 0);
                if (featureDelta != null) {
                    featureDelta.update(x, 0);
                }
            }
        }
        for (int j = 0; j < f; j++) {
            double v = x[j];
            if (Double.isNaN(v)) {
                imputedValues++;
                v = Double.isNaN(series.lastFeatures[j]) ? scale.mean(j) : series.lastFeatures[j];
            } else {
                series.lastFeatures[j] = v;
            }
            x[j] = config.normalize() ? scale.normalize(v, j) : v;
        }
        if (config.autoregressive()) {
            x[f] = normalizedOrZero(series, series.lastTarget, LEVEL);
            x[f + 1] = normalizedOrZero(series, series.lastStep, STEP);
        }
    }

    /** Normalised by the series' statistics; 0 (the mean) while the series has no value. */
    private double normalizedOrZero(SeriesState series, double v, int dim) {
        if (Double.isNaN(v)) {
            return 0.0;
        }
        return config.normalize() ? series.targetStats.normalize(v, dim) : v;
    }

    /** Records the truth of one step; trains when it completes the pending chunk. */
    private void label(SeriesState series, long step, double target) {
        if (step < 0) {
            return; // the series' first records resolve no forecast
        }
        double value = target;
        int dim = LEVEL;
        if (config.residual()) {
            // The model predicts the change from the autoregressive input it was given at that step (the
            // persistence forecast kept in the step's slot, until this record's forecast takes it).
            value = target - series.baselines[(int) (step % series.baselines.length)];
            dim = CHANGE;
            if (Double.isFinite(value)) {
                updateStats(series, Double.NaN, value, Double.NaN);
            }
        }
        if (!config.learn()) {
            return;
        }
        int pos = (int) (step - series.chunkStartStep);
        boolean scored = Double.isFinite(value) && (!config.lossAtLastStep() || pos == config.chunk() - 1);
        series.labelled[pos] = scored;
        series.targets[pos] = scored && config.normalize() ? series.targetStats.normalize(value, dim) : value;
        if (pos == config.chunk() - 1) {
            trainChunk(series);
        }
    }

    private void trainChunk(SeriesState series) {
        int k = config.chunk();
        int samples = 0;
        for (int i = 0; i < k; i++) {
            if (series.labelled[i]) {
                samples++;
            }
        }
        double[] gradient = sink.chunkGradient();
        double[] linear = null;
        if (config.linearPath()) {
            linear = chunkLinearInputs;
            chunkLinearInputs(series, k);
        }
        // On the prepared snapshot (current: the owner refreshes it after every change, see parametersChanged),
        // whose weight columns the run reuses instead of transposing the weights again.
        // Its forward pass is taken from the forecast steps' trace when they ran on these very parameters from this
        // start state (no optimizer step in between); else computed again. The same bits either way.
        double lossSum = bptt.run(prepared, chunkTrace(series), series.chunkStart, series.inputs, linear,
                series.targets, series.labelled, k, loss, gradient, endState);
        if (bptt.reusedForward()) {
            reusedForwardChunks++;
        }
        if (samples > 0) {
            trainedChunks++;
            capInfluence(gradient, samples);
        }
        sink.commitChunk(lossSum, samples);
        listener.chunkCommitted();
        System.arraycopy(endState, 0, series.chunkStart, 0, endState.length);
        // Shift the steps after the chunk (those still waiting for their truth) to the front.
        int pending = (int) (series.steps - series.chunkStartStep) - k;
        int inputSize = config.inputSize();
        System.arraycopy(series.inputs, k * inputSize, series.inputs, 0, pending * inputSize);
        System.arraycopy(series.targets, k, series.targets, 0, pending);
        System.arraycopy(series.labelled, k, series.labelled, 0, pending);
        java.util.Arrays.fill(series.labelled, pending, series.labelled.length, false);
        series.chunkStartStep += k;
    }

    /**
     * The linear path's inputs of one step: its model inputs {@code in[inOff..]}, then the target
     * changes before it ({@code earlier}, newest first).
     */
    private void linearInputs(double[] in, int inOff, double[] earlier, double[] dest, int destOff) {
        int inputSize = config.inputSize();
        System.arraycopy(in, inOff, dest, destOff, inputSize);
        System.arraycopy(earlier, 0, dest, destOff + inputSize, earlier.length);
    }

    /** Makes {@code change} the newest of the window and drops the oldest. */
    private static void pushChange(double[] window, double change) {
        if (window.length > 0) {
            System.arraycopy(window, 0, window, 1, window.length - 1);
            window[0] = change;
        }
    }

    /**
     * Fills {@link #chunkLinearInputs} for the chunk's {@code k} steps from their stored inputs and
     * the changes before the chunk, exactly as the live steps saw them, and moves the chunk start
     * window to the step after the chunk.
     */
    private void chunkLinearInputs(SeriesState series, int k) {
        int inputSize = config.inputSize();
        int width = config.linearInputs();
        int change = config.features() + 1;
        double[] window = series.chunkStartChanges;
        for (int i = 0; i < k; i++) {
            linearInputs(series.inputs, i * inputSize, window, chunkLinearInputs, i * width);
            pushChange(window, series.inputs[i * inputSize + change]);
        }
    }

    /**
     * Caps one chunk's gradient at {@code learner.chunk.influence} times the typical chunk's (per
     * labelled sample, an exponential average over the chunks so far): a key whose errors stay far
     * larger than the others' moves the shared model no more than a few typical keys would. Scaling
     * keeps the direction (as global-norm clipping does). Chunks within the cap are untouched.
     */
    private void capInfluence(double[] gradient, int samples) {
        double norm = GlobalNormClipper.norm(gradient, gradient.length) / samples;
        if (!Double.isFinite(norm)) {
            return; // the accumulator rejects it
        }
        if (maxChunkInfluence > 0 && typicalChunkNorm > 0 && norm > maxChunkInfluence * typicalChunkNorm) {
            double scale = maxChunkInfluence * typicalChunkNorm / norm;
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] *= scale;
            }
            cappedChunks++;
            norm = maxChunkInfluence * typicalChunkNorm;
        }
        typicalChunkNorm = typicalChunkNorm > 0 ? typicalChunkNorm + TYPICAL_RATE * (norm - typicalChunkNorm) : norm;
    }

    /**
     * The running typical chunk gradient norm the cap is measured against (0 before the first
     * chunk): learner state a checkpoint must carry for a resumed run to continue exactly.
     */
    public double typicalChunkNorm() {
        return typicalChunkNorm;
    }

    /** Continues from a {@link #typicalChunkNorm()} saved earlier. */
    public void restoreTypicalChunkNorm(double norm) {
        if (!(norm >= 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("typical chunk norm must be finite and >= 0, got " + norm);
        }
        typicalChunkNorm = norm;
    }

    /** Chunks whose gradient was capped ({@link #capInfluence}). */
    public long cappedChunks() {
        return cappedChunks;
    }

    /** Records observed. */
    public long records() {
        return records;
    }

    /** Missing or non-finite feature values that were imputed. */
    public long imputedValues() {
        return imputedValues;
    }

    /** Chunks trained on (with at least one labelled step). */
    public long trainedChunks() {
        return trainedChunks;
    }

    /** Chunks whose forward pass was taken from their forecast steps instead of computed again ({@link ForwardTrace}). */
    public long reusedForwardChunks() {
        return reusedForwardChunks;
    }
}
