package io.streamgru.model.online;

import io.streamgru.model.drift.DriftDetector;
import io.streamgru.model.interval.ConformalInterval;
import io.streamgru.model.norm.WelfordNormalizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A series' state as bytes, for a key-value store: only what is live is written (the pending
 * steps of the current chunk, not the whole buffer), little-endian, behind a format byte and the
 * shape it was written for, so a state from a model of another shape is rejected, not misread.
 *
 * <p>Format 3 ends with the drift detector's state (a count, then that many numbers; 0 without a
 * detector). States of format 2, written before detectors existed, still decode: their series
 * start a fresh detector. So does a state whose detector is of another kind than the one configured
 * now (the detector setting changed across a restart): a detector's state is worth less than
 * refusing the key.
 *
 * <p>Format 4 adds the event time of the series' newest reading (8 bytes) and the series' own
 * target statistics (3 dimensions of count, mean and M2: 72 bytes), 80 bytes, and drops the pending
 * steps' bases (8 bytes a step, up to {@code 8 · (k + horizon)}: the residual's base is the
 * persistence forecast the forecast slots keep). It ends with the series' own feature statistics
 * (a count of numbers, then count, mean and M2 of each feature: 4 + 24 · features bytes with
 * {@link FeatureScaling#PER_KEY}, 4 bytes with shared scaling); a state whose count does not fit
 * the configuration (the scaling setting changed) starts its feature statistics afresh. A state of an
 * earlier format, written when the target was scaled by statistics shared by all series, is migrated:
 * the series starts from those shared statistics (the ones its hidden state was computed under,
 * carried by the model version as {@link SeriesLearner#targetNormalizer()}), counted as at most
 * {@value #MIGRATED_WEIGHT} values so that its own take over, and with no newest event time.
 *
 * <p>Format 5 ends with the calibration of the series' prediction intervals ({@link ConformalInterval}:
 * a count of numbers, then q, the running mean absolute error, its count and the half-width issued
 * with each pending forecast: 4 + 8 · (3 + horizon) bytes). A state of an earlier format, or whose
 * count does not fit (another horizon) or whose numbers are impossible, starts its interval cold: no
 * interval until the series' next resolved error, then the starting threshold.
 *
 * <p>Format 6 (this release) adds the linear path's history at the end: a count n, then the n
 * normalised target changes before the next step and the n before the pending chunk (16 bytes per
 * lag beyond the first; 4 bytes without a linear path). A state of format 5 or earlier decodes
 * with an empty history (zeros, the changes' mean), as does one whose count does not fit the
 * configuration: the path reads the mean until the series' next changes arrive.
 * Not thread-safe (reused buffers): one per thread.
 */
public final class SeriesStateCodec {

    private static final byte FORMAT = 6;
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
    private final double[] driftState;
    private final double[] targetState = new double[1 + 3 * SeriesLearner.TARGET_STATS_DIMS];
    private final WelfordNormalizer legacyTargetStats;
    /** Exported per-key feature statistics ({@code [dims, counts, means, M2s]}); empty with shared scaling. */
    private final double[] featureState;
    private final double[] intervalState;

    /** A codec for states of this release; states of earlier formats migrate with fresh target statistics. */
    public SeriesStateCodec(LearnerConfig config) {
        this(config, SeriesLearner.newTargetNormalizer());
    }

    /**
     * @param legacyTargetStats the shared target statistics states of earlier formats were computed
     *                          under (read at each migration, so its owner may keep it current)
     */
    public SeriesStateCodec(LearnerConfig config, WelfordNormalizer legacyTargetStats) {
        this.config = config;
        this.stateSize = config.layers() * config.hidden();
        this.inputSize = config.inputSize();
        this.forecastSlots = Math.max(1, config.horizon());
        DriftDetector detector = config.driftDetector().newDetector();
        this.driftState = new double[detector == null ? 0 : detector.maxStateLength()];
        this.legacyTargetStats = legacyTargetStats;
        this.featureState = config.featureScaling() == FeatureScaling.PER_KEY && config.features() > 0
                ? new double[1 + 3 * config.features()] : new double[0];
        this.intervalState = new double[new ConformalInterval(config.intervalLevel(), forecastSlots).stateLength()];
    }

    /** Bytes needed for a state with {@code pending} steps awaiting training. */
    private int size(int pending) {
        return 1 + 4 * 4 + 8 * 2 + 8 * 4 + 8 * stateSize * 2 + 8 * config.features() + 16 * forecastSlots
                + pending * (8 * inputSize + 8 + 1);
    }

    public byte[] encode(SeriesState s) {
        int pending = (int) (s.steps - s.chunkStartStep);
        int drift = s.drift == null ? 0 : s.drift.exportState(driftState);
        int features = s.featureStats == null ? 0 : featureState.length - 1;
        int lags = s.recentChanges.length;
        ByteBuffer b = ByteBuffer.allocate(size(pending) + 4 + 8 * drift + 8 + 8 * (targetState.length - 1)
                + 4 + 8 * features + 4 + 8 * intervalState.length + 4 + 16 * lags).order(ByteOrder.LITTLE_ENDIAN);
        b.put(FORMAT);
        b.putInt(stateSize).putInt(inputSize).putInt(config.features()).putInt(pending);
        b.putLong(s.steps).putLong(s.chunkStartStep);
        b.putDouble(s.lastTarget).putDouble(s.lastStep).putDouble(s.resolvedForecast).putDouble(s.resolvedBaseline);
        putAll(b, s.forecasts, forecastSlots);
        putAll(b, s.baselines, forecastSlots);
        putAll(b, s.live, stateSize);
        putAll(b, s.chunkStart, stateSize);
        putAll(b, s.lastFeatures, config.features());
        putAll(b, s.inputs, pending * inputSize);
        putAll(b, s.targets, pending);
        for (int i = 0; i < pending; i++) {
            b.put((byte) (s.labelled[i] ? 1 : 0));
        }
        b.putInt(drift);
        putAll(b, driftState, drift);
        b.putLong(s.lastTime);
        s.targetStats.exportState(targetState, 0);
        for (int i = 1; i < targetState.length; i++) {
            b.putDouble(targetState[i]);
        }
        b.putInt(features);
        if (features > 0) {
            s.featureStats.exportState(featureState, 0);
            putAll(b, featureState, 1, features);
        }
        b.putInt(s.interval.exportState(intervalState));
        putAll(b, intervalState, intervalState.length);
        b.putInt(lags);
        putAll(b, s.recentChanges, lags);
        putAll(b, s.chunkStartChanges, lags);
        return b.array();
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
        if (format != FORMAT && format != FORMAT_WITHOUT_LINEAR_PATH && format != FORMAT_WITHOUT_INTERVAL
                && format != FORMAT_SHARED_TARGET_STATS
                && format != FORMAT_WITHOUT_DRIFT) {
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
        s.steps = b.getLong();
        s.chunkStartStep = b.getLong();
        s.lastTarget = b.getDouble();
        s.lastStep = b.getDouble();
        s.resolvedForecast = b.getDouble();
        s.resolvedBaseline = b.getDouble();
        getAll(b, s.forecasts, forecastSlots);
        getAll(b, s.baselines, forecastSlots);
        getAll(b, s.live, stateSize);
        getAll(b, s.chunkStart, stateSize);
        getAll(b, s.lastFeatures, features);
        getAll(b, s.inputs, pending * inputSize);
        getAll(b, s.targets, pending);
        boolean ownTargetStats = format >= FORMAT_WITHOUT_INTERVAL;
        if (!ownTargetStats) {
            b.position(b.position() + 8 * pending); // the steps' bases: now read from the forecast slots
        }
        java.util.Arrays.fill(s.labelled, false);
        for (int i = 0; i < pending; i++) {
            s.labelled[i] = b.get() != 0;
        }
        s.drifted = false;
        int drift = format == FORMAT_WITHOUT_DRIFT ? 0 : b.getInt();
        if (drift < 0 || drift > b.remaining() / 8) {
            throw new IllegalArgumentException("series state has a drift detector state of " + drift + " numbers");
        }
        boolean usable = s.drift != null && drift > 0 && drift <= driftState.length;
        if (usable) {
            getAll(b, driftState, drift);
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
        if (ownTargetStats) {
            s.lastTime = b.getLong();
            targetState[0] = SeriesLearner.TARGET_STATS_DIMS;
            getAll(b, targetState, 1, targetState.length - 1);
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
        decodeLinearHistory(b, s, format == FORMAT ? b.getInt() : 0);
    }

    private static void decodeLinearHistory(ByteBuffer b, SeriesState s, int lags) {
        if (lags < 0 || lags > b.remaining() / 16) {
            throw new IllegalArgumentException("series state has a linear path history of " + lags + " lags");
        }
        if (lags == s.recentChanges.length) {
            getAll(b, s.recentChanges, lags);
            getAll(b, s.chunkStartChanges, lags);
        } else {
            // Written before the linear path, or under another number of lags: start from the mean.
            java.util.Arrays.fill(s.recentChanges, 0.0);
            java.util.Arrays.fill(s.chunkStartChanges, 0.0);
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
        getAll(b, intervalState, n);
        try {
            s.interval.importState(intervalState, n);
        } catch (IllegalArgumentException e) {
            s.interval.reset();
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
        getAll(b, featureState, 1, n);
        s.featureStats.importState(featureState);
    }

    private double[] emptyFeatureState() {
        java.util.Arrays.fill(featureState, 0.0);
        featureState[0] = config.features();
        return featureState;
    }

    private static void putAll(ByteBuffer b, double[] values, int from, int n) {
        for (int i = from; i < from + n; i++) {
            b.putDouble(values[i]);
        }
    }

    private static void putAll(ByteBuffer b, double[] values, int n) {
        for (int i = 0; i < n; i++) {
            b.putDouble(values[i]);
        }
    }

    private static void getAll(ByteBuffer b, double[] values, int n) {
        getAll(b, values, 0, n);
    }

    private static void getAll(ByteBuffer b, double[] values, int from, int n) {
        for (int i = from; i < from + n; i++) {
            values[i] = b.getDouble();
        }
    }
}
