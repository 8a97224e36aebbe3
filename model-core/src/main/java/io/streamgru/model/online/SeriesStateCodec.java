package io.streamgru.model.online;

import io.streamgru.model.drift.DriftDetector;
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
 * refusing the key. Not thread-safe (a reused buffer for the detector's state): one per thread.
 */
public final class SeriesStateCodec {

    private static final byte FORMAT = 3;
    /** Written before drift detectors: no detector state at the end. */
    private static final byte FORMAT_WITHOUT_DRIFT = 2;

    private final LearnerConfig config;
    private final int stateSize;
    private final int inputSize;
    private final int forecastSlots;
    private final double[] driftState;

    public SeriesStateCodec(LearnerConfig config) {
        this.config = config;
        this.stateSize = config.layers() * config.hidden();
        this.inputSize = config.inputSize();
        this.forecastSlots = Math.max(1, config.horizon());
        DriftDetector detector = config.driftDetector().newDetector();
        this.driftState = new double[detector == null ? 0 : detector.maxStateLength()];
    }

    /** Bytes needed for a state with {@code pending} steps awaiting training. */
    private int size(int pending) {
        return 1 + 4 * 4 + 8 * 2 + 8 * 4 + 8 * stateSize * 2 + 8 * config.features() + 16 * forecastSlots
                + pending * (8 * inputSize + 8 + 1 + 8);
    }

    public byte[] encode(SeriesState s) {
        int pending = (int) (s.steps - s.chunkStartStep);
        int drift = s.drift == null ? 0 : s.drift.exportState(driftState);
        ByteBuffer b = ByteBuffer.allocate(size(pending) + 4 + 8 * drift).order(ByteOrder.LITTLE_ENDIAN);
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
        putAll(b, s.bases, pending);
        for (int i = 0; i < pending; i++) {
            b.put((byte) (s.labelled[i] ? 1 : 0));
        }
        b.putInt(drift);
        putAll(b, driftState, drift);
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
        if (format != FORMAT && format != FORMAT_WITHOUT_DRIFT) {
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
        getAll(b, s.bases, pending);
        java.util.Arrays.fill(s.labelled, false);
        for (int i = 0; i < pending; i++) {
            s.labelled[i] = b.get() != 0;
        }
        s.drifted = false;
        int drift = format == FORMAT ? b.getInt() : 0;
        if (drift < 0 || drift > b.remaining() / 8) {
            throw new IllegalArgumentException("series state has a drift detector state of " + drift + " numbers");
        }
        if (s.drift == null) {
            return;
        }
        if (drift == 0 || drift > driftState.length) {
            s.drift.reset(); // written without a detector, or by another kind of detector
            return;
        }
        getAll(b, driftState, drift);
        try {
            s.drift.importState(driftState, drift);
        } catch (IllegalArgumentException e) {
            s.drift.reset(); // another kind of detector wrote it: start afresh rather than refuse the key
        }
    }

    private static void putAll(ByteBuffer b, double[] values, int n) {
        for (int i = 0; i < n; i++) {
            b.putDouble(values[i]);
        }
    }

    private static void getAll(ByteBuffer b, double[] values, int n) {
        for (int i = 0; i < n; i++) {
            values[i] = b.getDouble();
        }
    }
}
