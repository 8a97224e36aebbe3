package io.streamgru.app.replay;

import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.ReadingOrder;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.SeriesStateCodec;
import io.streamgru.model.online.TrainingStep;
import io.streamgru.model.optim.GradientWindow;
import io.streamgru.model.optim.Optimizer;
import io.streamgru.model.optim.StepOutcome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming learner's semantics in one process, for replaying history: one shared model, one
 * {@link SeriesState} per key advanced by a {@link SeriesLearner}, chunk gradients gathered in a
 * {@link GradientWindow} of {@code learner.window} samples (a learner task's batch), full windows
 * added to the same {@link TrainingStep} as the live optimizer's, which steps every {@code samplesPerStep}
 * samples (the optimizer task's step)
 * (so the configured drift policy acts here too; its state is not part of a checkpoint). When the
 * optimizer steps once per learner window ({@code samplesPerStep == learner.window}, e.g. one input
 * partition), chunks go straight into the step's accumulator instead: the same sums in the same order
 * (a window's sum added to an empty accumulator is that sum), one pass over the gradient fewer per
 * chunk. What the live topology spreads over tasks and topics runs
 * here with no gradient or model round trip and no staleness, so it is deterministic: the same
 * records in the same order give bit-identical parameters.
 *
 * <p>It also keeps each key's last records ({@link KeyTail}) and input partition, for the warm
 * start. Its whole state can be written and read back ({@link #writeTo}, {@link #readFrom}) at a
 * step boundary ({@link #atStepBoundary}), where no gradient is pending. Not thread-safe.
 */
public final class ReplayTrainer {

    /** One series: its learner state, the input partition its records came from, its last records. */
    static final class Key {
        final SeriesState state;
        final KeyTail tail;
        int partition;

        Key(SeriesState state, KeyTail tail, int partition) {
            this.state = state;
            this.tail = tail;
            this.partition = partition;
        }
    }

    private final LearnerConfig config;
    private final int samplesPerStep;
    private final int tailLength;
    private final GruModel model;
    private final GradientWindow window;
    /** Chunks go into the training step's accumulator directly (one learner window per step). */
    private final boolean direct;
    private final TrainingStep training;
    private final SeriesLearner learner;
    /** The live learner's codec: what a warm start writes to the key-state changelog. */
    private final SeriesStateCodec codec;
    /** For checkpoints: float64 throughout, so a resumed replay continues bit for bit. */
    private final SeriesStateCodec checkpointCodec;
    private final Map<String, Key> keys = new HashMap<>();

    private long records;
    private long samplesTrained;
    private long stepsApplied;
    private long skippedSteps;
    private long rejectedBatches;
    private double lastLoss = Double.NaN;

    /**
     * @param parameters     starting parameters (copied)
     * @param optimizerState the optimizer's exported state, empty = fresh
     * @param tailLength     records per key kept for the warm start (>= 1)
     */
    public ReplayTrainer(LearnerConfig config, int samplesPerStep, int tailLength, double[] parameters,
                         double[] optimizerState, double[] featureState, double[] targetState) {
        this.config = config;
        this.samplesPerStep = samplesPerStep;
        this.tailLength = Math.max(1, tailLength);
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        this.model = new GruModel(layout, parameters.clone());
        this.window = new GradientWindow(layout.size(), config.window());
        this.training = new TrainingStep(config, samplesPerStep, optimizerState, featureState, targetState);
        this.direct = samplesPerStep == config.window();
        this.learner = new SeriesLearner(config, model, training.featureStats(), training.targetStats(),
                direct ? training.chunkSink() : window, this::chunkCommitted);
        this.codec = new SeriesStateCodec(config, training.targetStats());
        this.checkpointCodec = SeriesStateCodec.exact(config, training.targetStats());
    }

    /** A full window is one learner batch; the optimizer steps when it has gathered its samples. */
    private void chunkCommitted() {
        if (direct) {
            if (!training.ready()) {
                return;
            }
            samplesTrained += training.windowSamples();
        } else {
            if (!window.ready()) {
                return;
            }
            if (training.addBatch(window.sum(), (int) window.samples(), window.lossSum())) {
                samplesTrained += window.samples();
            } else {
                rejectedBatches++;
            }
            window.clear();
        }
        if (training.ready()) {
            StepOutcome outcome = training.step(model.parameters());
            lastLoss = training.lastMeanLoss();
            if (outcome == StepOutcome.APPLIED) {
                stepsApplied++;
                learner.parametersChanged();
            } else if (outcome == StepOutcome.SKIPPED_NON_FINITE) {
                skippedSteps++;
            }
        }
    }

    /** Learns from one record of series {@code seriesId}, read from input partition {@code partition}. */
    public void observe(String seriesId, int partition, double[] features, double target) {
        observe(seriesId, partition, Long.MIN_VALUE, features, target);
    }

    /**
     * As {@link #observe(String, int, double[], double)} for a reading with its own event time (the
     * live learner's time policy): a duplicate or late reading of its key is not learned from.
     *
     * @param eventTime the reading's event time; {@link Long#MIN_VALUE} when readings carry none
     * @return whether it was learned from
     */
    public boolean observe(String seriesId, int partition, long eventTime, double[] features, double target) {
        Key key = keys.get(seriesId);
        if (key == null) {
            key = new Key(learner.newSeries(), new KeyTail(tailLength, config.features()), partition);
            keys.put(seriesId, key);
        } else if (eventTime != Long.MIN_VALUE && key.state.orderOf(eventTime) != ReadingOrder.NEXT) {
            return false;
        }
        key.partition = partition;
        key.tail.add(features, target);
        learner.observe(key.state, eventTime, features, target);
        if (key.state.driftDetected()) {
            training.onDrift();
        }
        records++;
        return true;
    }

    /** No gradient is pending (neither in the window nor in the accumulator): a checkpoint may be taken. */
    public boolean atStepBoundary() {
        return window.samples() == 0 && training.windowSamples() == 0;
    }

    public LearnerConfig config() {
        return config;
    }

    /** The live parameters. */
    public double[] parameters() {
        return model.parameters();
    }

    public Optimizer optimizer() {
        return training.optimizer();
    }

    public WelfordNormalizer featureStats() {
        return training.featureStats();
    }

    public WelfordNormalizer targetStats() {
        return training.targetStats();
    }

    public long records() {
        return records;
    }

    public long samplesTrained() {
        return samplesTrained;
    }

    public long stepsApplied() {
        return stepsApplied;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    /** Windows dropped because their gradient or loss was not finite. */
    public long rejectedBatches() {
        return rejectedBatches + window.rejectedChunks() + (direct ? training.rejectedBatches() : 0);
    }

    /** Mean training loss per sample of the last optimizer step (NaN before any). */
    public double lastLoss() {
        return lastLoss;
    }

    /** The learner's typical chunk-gradient norm, which the chunk influence cap measures against (0 before any chunk). */
    public double typicalChunkNorm() {
        return learner.typicalChunkNorm();
    }

    public int keyCount() {
        return keys.size();
    }

    /** Series ids, sorted (a deterministic order for writing). */
    List<String> keyIds() {
        List<String> ids = new ArrayList<>(keys.keySet());
        ids.sort(null);
        return ids;
    }

    Key key(String id) {
        return keys.get(id);
    }

    /** The state as the live learner stores it (SeriesStateCodec bytes). */
    public byte[] encodedState(String seriesId) {
        return codec.encode(keys.get(seriesId).state);
    }

    /** Format 2 adds the drift policy's state; format 1 (without it) still reads, with a fresh policy. */
    /** Format 3 adds the learner's typical chunk norm (the chunk-influence cap's reference). */
    private static final int FORMAT = 3;
    private static final int FORMAT_WITHOUT_NORM = 2;
    private static final int FORMAT_WITHOUT_POLICY = 1;

    /** Writes everything needed to continue exactly; only at a step boundary. */
    public void writeTo(DataOutputStream out) throws IOException {
        if (!atStepBoundary()) {
            throw new IllegalStateException("a trainer is saved only between optimizer steps");
        }
        out.writeInt(FORMAT);
        out.writeUTF(config.toString());
        out.writeInt(samplesPerStep);
        out.writeInt(tailLength);
        writeArray(out, model.parameters());
        writeArray(out, training.optimizer().exportState());
        writeArray(out, training.featureStats().exportState());
        writeArray(out, training.targetStats().exportState());
        out.writeLong(records);
        out.writeLong(samplesTrained);
        out.writeLong(stepsApplied);
        out.writeLong(skippedSteps);
        out.writeLong(rejectedBatches);
        out.writeDouble(lastLoss);
        writeArray(out, training.driftPolicy().exportState());
        out.writeDouble(learner.typicalChunkNorm());
        out.writeInt(keys.size());
        for (String id : keyIds()) {
            Key k = keys.get(id);
            out.writeUTF(id);
            out.writeInt(k.partition);
            byte[] state = checkpointCodec.encode(k.state);
            out.writeInt(state.length);
            out.write(state);
            k.tail.writeTo(out);
        }
    }

    /**
     * Reads a trainer written by {@link #writeTo}.
     *
     * @throws IOException if it was written for another learner configuration, step size or tail
     */
    public static ReplayTrainer readFrom(DataInputStream in, LearnerConfig config, int samplesPerStep, int tailLength)
            throws IOException {
        int format = in.readInt();
        if (format != FORMAT && format != FORMAT_WITHOUT_NORM && format != FORMAT_WITHOUT_POLICY) {
            throw new IOException("unknown trainer format " + format);
        }
        String savedConfig = in.readUTF();
        int savedSamples = in.readInt();
        int savedTail = in.readInt();
        if (!savedConfig.equals(config.toString()) || savedSamples != samplesPerStep || savedTail != tailLength) {
            throw new IOException("it was written for other learner settings (" + savedConfig + ", samples per step "
                    + savedSamples + ", warm steps " + savedTail + ")");
        }
        double[] parameters = readArray(in);
        double[] optimizerState = readArray(in);
        double[] features = readArray(in);
        double[] target = readArray(in);
        ReplayTrainer t = new ReplayTrainer(config, samplesPerStep, tailLength, parameters, optimizerState, features,
                target);
        t.records = in.readLong();
        t.samplesTrained = in.readLong();
        t.stepsApplied = in.readLong();
        t.skippedSteps = in.readLong();
        t.rejectedBatches = in.readLong();
        t.lastLoss = in.readDouble();
        if (format != FORMAT_WITHOUT_POLICY) {
            double[] policy = readArray(in);
            try {
                t.training.driftPolicy().importState(policy);
            } catch (IllegalArgumentException e) {
                throw new IOException("its drift policy state does not fit: " + e.getMessage());
            }
        }
        if (format == FORMAT) {
            // Earlier checkpoints did not carry it: the cap restarts its average (continues, not bit for bit).
            t.learner.restoreTypicalChunkNorm(in.readDouble());
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            int partition = in.readInt();
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            t.keys.put(id, new Key(t.checkpointCodec.decode(state), KeyTail.readFrom(in, t.tailLength, config.features()),
                    partition));
        }
        return t;
    }

    static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    static double[] readArray(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = Double.longBitsToDouble(in.readLong());
        }
        return a;
    }
}
