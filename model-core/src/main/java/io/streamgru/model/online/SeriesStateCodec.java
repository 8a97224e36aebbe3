package io.streamgru.model.online;

import io.streamgru.model.drift.DriftDetector;
import io.streamgru.model.experts.FixedShareAggregation;
import io.streamgru.model.interval.ConformalInterval;
import io.streamgru.model.norm.WelfordNormalizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A series' state as bytes, for a key-value store: only what is live is written (the pending
 * steps of the current chunk, not the whole buffer), little-endian, behind a format byte and the
 * shape it was written for, so a state from a model of another shape is rejected, not misread.
 * {@link #encode} is the one place that defines the layout (a field added there is read back in
 * the same order by {@link #decodeInto}); there is no separate size formula.
 *
 * <p>Format 8, in order: format byte; state size, input size, features, pending
 * steps (ints); the precision of the hidden states and that of the pending steps (a byte each: 4 or
 * 8 bytes a number); steps, chunk start step (longs); last target, last step, resolved forecast and baseline (doubles); the forecast and
 * baseline slots (doubles); the live and the chunk-start hidden states (<b>float32</b>); the last
 * features (doubles); the pending steps' inputs and targets (<b>float32</b> when the learner
 * normalises, else float64); their labels (one bit each); the drift detector's state (a count, then doubles);
 * the event time of the newest reading (long); the target statistics (3 × count, mean, M2); the
 * feature statistics (a count of numbers, then count, mean and M2 of each feature with
 * {@link FeatureScaling#PER_KEY}; 0 with shared scaling); the calibration of the series' prediction
 * intervals ({@link ConformalInterval}: a count of numbers, then q, the running mean absolute
 * error, its count and the half-width issued with each pending forecast: 4 + 8 · (3 + horizon)
 * bytes); the linear path's history (a count n, then the n normalised target changes before the
 * next step and the n before the pending chunk, doubles: 16 bytes per lag beyond the first; 4
 * bytes without a linear path); the combination of experts ({@link
 * io.streamgru.model.experts.FixedShareAggregation}: a byte E, the number of experts, 0 without the
 * combination; then the E weights of each forecast slot in the precision of the hidden states, and,
 * when the linear path is an expert (E = 3), its pending forecast of each slot (doubles): 1 + 4 E ·
 * slots bytes, + 8 · slots with the linear expert; the model's and persistence's pending forecasts
 * are the slots above). At H = 64, chunk 16, 6 features, horizon 1, no linear path it is about
 * 1.16 KB (format 7: 9 bytes less, format 6: 1.98 KB).
 *
 * <p>Format 9 (this release, when seasonal naive is an expert: {@link LearnerConfig#season()} &gt; 0
 * with the combination; a key without it is still written in format 8, byte for byte as before):
 * format 8 whose panel of experts ends with seasonal naive (E counts it, so the linear expert's
 * pending forecasts are there from E = 4 on), then the season n (int), the targets of the series'
 * last n records ({@link SeasonalHistory}'s ring, record r at r mod n; unknown ones NaN) and seasonal
 * naive's pending forecast of each slot: doubles, because they are in the series' own units (a
 * float32 target is off by 6·10⁻⁸ of its level, which for a series far from zero, a meter's
 * running total, is more than its seasonal variation). 4 + 8 n + 8 · slots bytes, plus the expert's
 * float32 weight of each slot: at season 24 and horizon 1, 208 bytes more than format 8.
 *
 * <p>Why float32 is harmless there: a GRU's hidden state lies in (−1, 1), so rounding it to the
 * nearest float32 moves each element by at most 2⁻²⁵ ≈ 3·10⁻⁸; normalised inputs and targets are
 * z-scores clipped to ±10, moved by at most 6·10⁻⁷. The state is read back as float64 and all the
 * maths stays float64; rounding happens once per write (a decoded state re-encodes to the same
 * bytes), so it does not accumulate beyond what the recurrence does with any perturbation of that
 * size, a millionth of the noise the learner sees (a model trained in float32, as PyTorch's
 * default, rounds every operation). Without normalisation the raw inputs and targets could exceed
 * float32's range, so they stay float64. Statistics, counters, times, forecasts and the drift
 * detector's state stay float64: they are in the series' own units or must add up exactly.
 * {@link #exact} writes the same format with float64 everywhere, for what must continue bit for bit
 * (a replay's checkpoint); either kind of codec reads both.
 *
 * <p>Earlier formats are read: format 7, the same before the combination of experts (the series'
 * weights start uniform, as do ones written for another panel of experts or that are impossible;
 * a slot without the linear expert's pending forecast leaves it out of that forecast and its
 * update); format 6 (everything float64, one byte per label); format 5, the same
 * before the linear path (its history starts at the mean, zeros, as does one whose count does not
 * fit the configuration: the path reads the mean until the series' next changes arrive); format
 * 4, the same before prediction intervals (the series' interval starts cold: none until its next resolved
 * error, then the starting threshold; so does one whose interval state does not fit, e.g. another
 * horizon, or whose numbers are impossible); format 3, before
 * per-series target statistics, ends with the drift detector's state and keeps each pending step's
 * base (8 bytes a step, now read from the forecast slots); format 2 has no detector state. A series
 * of format 2 or 3 starts a fresh detector if it had none, as does one whose detector is of another
 * kind than the one configured now (the detector setting changed across a restart): a detector's
 * state is worth less than refusing the key. A series of format 2 or 3 (written when the target was
 * scaled by statistics shared by all series) is migrated: it starts from those shared statistics
 * (the ones its hidden state was computed under, carried by the model version as
 * {@link SeriesLearner#targetNormalizer()}), counted as at most {@value #MIGRATED_WEIGHT} values so
 * that its own take over, with no newest event time and fresh feature statistics. A state without a
 * seasonal history (formats 2 to 8), or with one of another season, starts it empty: seasonal naive
 * forecasts persistence until a season of the series' records has passed. A state whose
 * feature-statistics count does not fit the configuration (the scaling setting changed) starts its
 * feature statistics afresh. Not thread-safe (reused buffers): one per thread.
 */
public final class SeriesStateCodec {

    /** Written when seasonal naive is an expert; otherwise {@link #FORMAT_WITHOUT_SEASON}, byte for byte. */
    private static final byte FORMAT = 9;
    /** Written before the seasonal naive expert, and still whenever it is not an expert. */
    private static final byte FORMAT_WITHOUT_SEASON = 8;
    /** Written before the combination of experts: the linear path's history ends it. */
    private static final byte FORMAT_WITHOUT_EXPERTS = 7;
    /** Written before float32 storage: hidden states, inputs and targets as float64, a byte per label. */
    private static final byte FORMAT_FLOAT64 = 6;
    /** Written before the linear path: the interval's calibration ends it. */
    private static final byte FORMAT_WITHOUT_LINEAR_PATH = 5;
    /** Written before prediction intervals: the feature statistics end it. */
    private static final byte FORMAT_WITHOUT_INTERVAL = 4;
    /** Written before per-series target statistics: the drift detector's state ends it. */
    private static final byte FORMAT_SHARED_TARGET_STATS = 3;
    /** Written before drift detectors: no detector state at the end. */
    private static final byte FORMAT_WITHOUT_DRIFT = 2;
    /** How many values the shared statistics a migrated series starts from count as. */
    static final long MIGRATED_WEIGHT = 1000;

    private final LearnerConfig config;
    private final int stateSize;
    private final int inputSize;
    private final int forecastSlots;
    /** Bytes per number of the hidden states in format 5. */
    private final byte statePrecision;
    /** Bytes per number of the pending steps' inputs and targets in format 5 (float32 only when bounded). */
    private final byte pendingPrecision;
    private final double[] driftState;
    private final double[] targetState = new double[1 + 3 * SeriesLearner.TARGET_STATS_DIMS];
    private final WelfordNormalizer legacyTargetStats;
    /** Exported per-key feature statistics ({@code [dims, counts, means, M2s]}); empty with shared scaling. */
    private final double[] featureState;
    private final double[] intervalState;
    /** The combination's rule, to check the weights read (null without the combination). */
    private final FixedShareAggregation aggregation;
    /** Where {@link #encode} writes before copying out; grows to the largest state seen. */
    private ByteBuffer out = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);

    /** A codec for states of this release; states of earlier formats migrate with fresh target statistics. */
    public SeriesStateCodec(LearnerConfig config) {
        this(config, SeriesLearner.newTargetNormalizer());
    }

    /**
     * @param legacyTargetStats the shared target statistics states of earlier formats were computed
     *                          under (read at each migration, so its owner may keep it current)
     */
    public SeriesStateCodec(LearnerConfig config, WelfordNormalizer legacyTargetStats) {
        this(config, legacyTargetStats, false);
    }

    /**
     * A codec that writes every number as float64, so that a decoded state continues bit for bit as
     * the one encoded (twice the bytes of the hidden states and pending steps).
     */
    public static SeriesStateCodec exact(LearnerConfig config, WelfordNormalizer legacyTargetStats) {
        return new SeriesStateCodec(config, legacyTargetStats, true);
    }

    private SeriesStateCodec(LearnerConfig config, WelfordNormalizer legacyTargetStats, boolean exact) {
        this.config = config;
        this.stateSize = config.layers() * config.hidden();
        this.inputSize = config.inputSize();
        this.forecastSlots = Math.max(1, config.horizon());
        this.statePrecision = (byte) (exact ? 8 : 4);
        this.pendingPrecision = (byte) (exact || !config.normalize() ? 8 : 4);
        DriftDetector detector = config.driftDetector().newDetector();
        this.driftState = new double[detector == null ? 0 : detector.maxStateLength()];
        this.legacyTargetStats = legacyTargetStats;
        this.featureState = config.featureScaling() == FeatureScaling.PER_KEY && config.features() > 0
                ? new double[1 + 3 * config.features()] : new double[0];
        this.intervalState = new double[new ConformalInterval(config.intervalLevel(), forecastSlots).stateLength()];
        int experts = SeriesLearner.experts(config).length;
        this.aggregation = experts == 0 ? null : FixedShareAggregation.standard(experts, forecastSlots);
    }

    public byte[] encode(SeriesState s) {
        int pending = (int) (s.steps - s.chunkStartStep);
        out.clear();
        // Without a seasonal expert nothing changed since format 8: such keys keep writing it, byte for byte.
        put(s.seasonal == null ? FORMAT_WITHOUT_SEASON : FORMAT);
        putInt(stateSize);
        putInt(inputSize);
        putInt(config.features());
        putInt(pending);
        put(statePrecision);
        put(pendingPrecision);
        putLong(s.steps);
        putLong(s.chunkStartStep);
        putDouble(s.lastTarget);
        putDouble(s.lastStep);
        putDouble(s.resolvedForecast);
        putDouble(s.resolvedBaseline);
        putDoubles(s.forecasts, 0, forecastSlots);
        putDoubles(s.baselines, 0, forecastSlots);
        putNumbers(s.live, stateSize, statePrecision);
        putNumbers(s.chunkStart, stateSize, statePrecision);
        putDoubles(s.lastFeatures, 0, config.features());
        putNumbers(s.inputs, pending * inputSize, pendingPrecision);
        putNumbers(s.targets, pending, pendingPrecision);
        putBits(s.labelled, pending);
        int drift = s.drift == null ? 0 : s.drift.exportState(driftState);
        putInt(drift);
        putDoubles(driftState, 0, drift);
        putLong(s.lastTime);
        s.targetStats.exportState(targetState, 0);
        putDoubles(targetState, 1, targetState.length - 1);
        int features = s.featureStats == null ? 0 : featureState.length - 1;
        putInt(features);
        if (features > 0) {
            s.featureStats.exportState(featureState, 0);
            putDoubles(featureState, 1, features);
        }
        int interval = s.interval.exportState(intervalState);
        putInt(interval);
        putDoubles(intervalState, 0, interval);
        int lags = s.recentChanges.length;
        putInt(lags);
        putDoubles(s.recentChanges, 0, lags);
        putDoubles(s.chunkStartChanges, 0, lags);
        int experts = s.expertWeights.length / forecastSlots;
        put((byte) experts);
        putNumbers(s.expertWeights, s.expertWeights.length, statePrecision);
        putDoubles(s.linearForecasts, 0, s.linearForecasts.length);
        if (s.seasonal != null) {
            double[] ring = s.seasonal.ring();
            putInt(ring.length);
            putDoubles(ring, 0, ring.length);
            putDoubles(s.seasonalForecasts, 0, forecastSlots);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Decodes into a new state; throws IllegalArgumentException if the bytes are for another shape. */
    public SeriesState decode(byte[] bytes) {
        SeriesState s = new SeriesState(config);
        decodeInto(bytes, s);
        return s;
    }

    /** Decodes into an existing state (reused to avoid allocation). */
    public void decodeInto(byte[] bytes, SeriesState s) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte format = b.get();
        if (format < FORMAT_WITHOUT_DRIFT || format > FORMAT) {
            throw new IllegalArgumentException("unknown series state format " + format);
        }
        int states = b.getInt();
        int inputs = b.getInt();
        int features = b.getInt();
        int pending = b.getInt();
        if (states != stateSize || inputs != inputSize || features != config.features()
                || pending < 0 || pending > s.targets.length) {
            throw new IllegalArgumentException("series state was written for another model shape (state "
                    + states + ", inputs " + inputs + ", features " + features + ", pending " + pending + ")");
        }
        int statePrecision = format >= FORMAT_WITHOUT_EXPERTS ? precision(b.get()) : 8;
        int precision = format >= FORMAT_WITHOUT_EXPERTS ? precision(b.get()) : 8;
        s.steps = b.getLong();
        s.chunkStartStep = b.getLong();
        s.lastTarget = b.getDouble();
        s.lastStep = b.getDouble();
        s.resolvedForecast = b.getDouble();
        s.resolvedBaseline = b.getDouble();
        getNumbers(b, s.forecasts, 0, forecastSlots, 8);
        getNumbers(b, s.baselines, 0, forecastSlots, 8);
        getNumbers(b, s.live, 0, stateSize, statePrecision);
        getNumbers(b, s.chunkStart, 0, stateSize, statePrecision);
        getNumbers(b, s.lastFeatures, 0, features, 8);
        getNumbers(b, s.inputs, 0, pending * inputSize, precision);
        getNumbers(b, s.targets, 0, pending, precision);
        if (format < FORMAT_WITHOUT_INTERVAL) {
            b.position(b.position() + 8 * pending); // the steps' bases: now read from the forecast slots
        }
        Arrays.fill(s.labelled, false);
        if (format >= FORMAT_WITHOUT_EXPERTS) {
            getBits(b, s.labelled, pending);
        } else {
            for (int i = 0; i < pending; i++) {
                s.labelled[i] = b.get() != 0;
            }
        }
        s.drifted = false;
        decodeDrift(b, format == FORMAT_WITHOUT_DRIFT ? 0 : b.getInt(), s);
        if (format >= FORMAT_WITHOUT_INTERVAL) {
            s.lastTime = b.getLong();
            targetState[0] = SeriesLearner.TARGET_STATS_DIMS;
            getNumbers(b, targetState, 1, targetState.length - 1, 8);
            s.targetStats.importState(targetState);
            decodeFeatureStats(b, s);
        } else {
            s.lastTime = Long.MIN_VALUE;
            legacyTargetStats.exportState(targetState, 0);
            s.targetStats.importState(targetState);
            s.targetStats.limitCount(MIGRATED_WEIGHT);
            if (s.featureStats != null) {
                s.featureStats.importState(emptyFeatureState());
            }
        }
        s.halfWidth = Double.NaN;
        s.resolvedHalfWidth = Double.NaN;
        if (format >= FORMAT_WITHOUT_LINEAR_PATH) {
            decodeInterval(b, s);
        } else {
            s.interval.reset(); // written before intervals: the series' interval starts cold
        }
        decodeLinearHistory(b, s, format >= FORMAT_FLOAT64 ? b.getInt() : 0);
        s.resolvedModelForecast = Double.NaN;
        s.modelForecast = Double.NaN;
        s.expert = null;
        boolean seasonal = format >= FORMAT;
        decodeExperts(b, s, format >= FORMAT_WITHOUT_SEASON ? b.get() : 0, statePrecision, seasonal);
        decodeSeasonalHistory(b, s, seasonal);
    }

    /**
     * The experts' weights and the linear expert's pending forecasts; {@code seasonal}: the panel
     * written ends with seasonal naive (format 9), so the linear expert is there from 4 experts on.
     */
    private void decodeExperts(ByteBuffer b, SeriesState s, int experts, int precision, boolean seasonal) {
        int weights = experts * forecastSlots;
        int linear = experts - (seasonal ? 1 : 0) > 2 ? forecastSlots : 0;
        if (experts < 0 || (long) weights * precision + 8L * linear > b.remaining()) {
            throw new IllegalArgumentException("series state has the weights of " + experts + " experts");
        }
        boolean usable = weights == s.expertWeights.length && linear == s.linearForecasts.length
                && seasonal == (s.seasonal != null);
        if (usable) {
            getNumbers(b, s.expertWeights, 0, weights, precision);
            getNumbers(b, s.linearForecasts, 0, linear, 8);
            usable = aggregation == null || aggregation.plausible(s.expertWeights);
        } else {
            b.position(b.position() + weights * precision + 8 * linear);
        }
        if (!usable) {
            // Written before the combination, for another panel of experts, or impossible: start uniform.
            if (aggregation != null) {
                aggregation.reset(s.expertWeights);
            }
            Arrays.fill(s.linearForecasts, Double.NaN);
        }
    }

    /**
     * Format 9's seasonal naive history (the season, its ring and the expert's pending forecasts). A
     * series whose state has none, or one of another season, starts its history empty: seasonal
     * naive falls back to persistence until a season of its records has passed.
     */
    private void decodeSeasonalHistory(ByteBuffer b, SeriesState s, boolean stored) {
        int season = stored ? b.getInt() : 0;
        if (stored && (season < 0 || season > b.remaining() / 8 - forecastSlots)) {
            throw new IllegalArgumentException("series state has a seasonal history of " + season + " records");
        }
        if (s.seasonal != null && season == s.seasonal.season()) {
            getNumbers(b, s.seasonal.ring(), 0, season, 8);
            getNumbers(b, s.seasonalForecasts, 0, forecastSlots, 8);
            return;
        }
        if (stored) {
            b.position(b.position() + 8 * (season + forecastSlots));
        }
        if (s.seasonal != null) {
            s.seasonal.clear();
            Arrays.fill(s.seasonalForecasts, Double.NaN);
        }
    }

    private static void decodeLinearHistory(ByteBuffer b, SeriesState s, int lags) {
        if (lags < 0 || lags > b.remaining() / 16) {
            throw new IllegalArgumentException("series state has a linear path history of " + lags + " lags");
        }
        if (lags == s.recentChanges.length) {
            getNumbers(b, s.recentChanges, 0, lags, 8);
            getNumbers(b, s.chunkStartChanges, 0, lags, 8);
        } else {
            // Written before the linear path, or under another number of lags: start from the mean.
            b.position(b.position() + 16 * lags);
            Arrays.fill(s.recentChanges, 0.0);
            Arrays.fill(s.chunkStartChanges, 0.0);
        }
    }

    private void decodeInterval(ByteBuffer b, SeriesState s) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / 8) {
            throw new IllegalArgumentException("series state has an interval state of " + n + " numbers");
        }
        if (n != intervalState.length) {
            b.position(b.position() + 8 * n); // the linear path's history follows
            s.interval.reset(); // another horizon wrote it: start cold rather than refuse the key
            return;
        }
        getNumbers(b, intervalState, 0, n, 8);
        try {
            s.interval.importState(intervalState, n);
        } catch (IllegalArgumentException e) {
            s.interval.reset();
        }
    }

    private static int precision(byte bytes) {
        if (bytes != 4 && bytes != 8) {
            throw new IllegalArgumentException("series state has numbers of " + bytes + " bytes");
        }
        return bytes;
    }

    private void decodeDrift(ByteBuffer b, int drift, SeriesState s) {
        if (drift < 0 || drift > b.remaining() / 8) {
            throw new IllegalArgumentException("series state has a drift detector state of " + drift + " numbers");
        }
        boolean usable = s.drift != null && drift > 0 && drift <= driftState.length;
        if (usable) {
            getNumbers(b, driftState, 0, drift, 8);
            try {
                s.drift.importState(driftState, drift);
            } catch (IllegalArgumentException e) {
                usable = false; // another kind of detector wrote it: start afresh rather than refuse the key
            }
        } else {
            b.position(b.position() + 8 * drift);
        }
        if (s.drift != null && !usable) {
            s.drift.reset(); // written without a detector, or by another kind of detector
        }
    }

    private void decodeFeatureStats(ByteBuffer b, SeriesState s) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / 8) {
            throw new IllegalArgumentException("series state has feature statistics of " + n + " numbers");
        }
        if (s.featureStats == null) {
            return;
        }
        if (n != featureState.length - 1) {
            s.featureStats.importState(emptyFeatureState()); // written under shared scaling: start afresh
            return;
        }
        featureState[0] = config.features();
        getNumbers(b, featureState, 1, n, 8);
        s.featureStats.importState(featureState);
    }

    private double[] emptyFeatureState() {
        Arrays.fill(featureState, 0.0);
        featureState[0] = config.features();
        return featureState;
    }

    // ---------------------------------------------------------------- writing (into the growing buffer)

    private ByteBuffer room(int bytes) {
        if (out.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(2 * out.capacity(), out.position() + bytes))
                    .order(ByteOrder.LITTLE_ENDIAN);
            larger.put(out.array(), 0, out.position());
            out = larger;
        }
        return out;
    }

    private void put(byte v) {
        room(1).put(v);
    }

    private void putInt(int v) {
        room(4).putInt(v);
    }

    private void putLong(long v) {
        room(8).putLong(v);
    }

    private void putDouble(double v) {
        room(8).putDouble(v);
    }

    private void putDoubles(double[] values, int from, int n) {
        ByteBuffer b = room(8 * n);
        for (int i = from; i < from + n; i++) {
            b.putDouble(values[i]);
        }
    }

    /** Rounded to the nearest float32 (see the class comment for where that is harmless). */
    private void putFloats(double[] values, int n) {
        ByteBuffer b = room(4 * n);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) values[i]);
        }
    }

    private void putNumbers(double[] values, int n, int precision) {
        if (precision == 4) {
            putFloats(values, n);
        } else {
            putDoubles(values, 0, n);
        }
    }

    private void putBits(boolean[] values, int n) {
        ByteBuffer b = room((n + 7) / 8);
        for (int i = 0; i < n; i += 8) {
            int bits = 0;
            for (int j = 0; j < 8 && i + j < n; j++) {
                bits |= values[i + j] ? 1 << j : 0;
            }
            b.put((byte) bits);
        }
    }

    // ---------------------------------------------------------------- reading

    private static void getNumbers(ByteBuffer b, double[] values, int from, int n, int precision) {
        for (int i = from; i < from + n; i++) {
            values[i] = precision == 4 ? b.getFloat() : b.getDouble();
        }
    }

    private static void getBits(ByteBuffer b, boolean[] values, int n) {
        for (int i = 0; i < n; i += 8) {
            int bits = b.get();
            for (int j = 0; j < 8 && i + j < n; j++) {
                values[i + j] = (bits & 1 << j) != 0;
            }
        }
    }
}
