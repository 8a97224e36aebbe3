package io.streamgru.bench;

import io.streamgru.bench.baseline.BaselineGru;
import io.streamgru.model.gru.ForwardTrace;
import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.gru.PreparedModel;
import io.streamgru.model.gru.StepWorkspace;
import io.streamgru.model.gru.TruncatedBptt;
import io.streamgru.model.loss.Loss;
import io.streamgru.model.loss.MseLoss;
import java.util.Arrays;

/**
 * The per-record work of the online learner for one series, as the benchmarks and the PyTorch
 * script ({@code bench/pytorch_online.py}) define a "record":
 * <ol>
 *   <li>one forward step on the series' live state — the forecast, made before the record's target
 *       is used (as {@code SeriesLearner} does);</li>
 *   <li>the record's input and target go into the current chunk; every {@code k} records one
 *       truncated-BPTT run over the chunk (forward + backward of k steps from the chunk's start
 *       state, MSE at every step), whose end state is the next chunk's start state. In
 *       {@link Mode#PREPARED} the forecast steps record their activations into a {@link ForwardTrace}
 *       and the run reuses them when no optimizer step fell in between (as {@code SeriesLearner}
 *       does: the same API, the same checks; here, with W = k, every chunk after the first);</li>
 *   <li>every {@code W} samples (labelled steps) one optimizer step: {@code GradientAccumulator}
 *       averaging the window's gradient, {@code Adam} (see {@link Trainer}).</li>
 * </ol>
 * {@link Mode} picks the implementation of steps 1 and 2; step 3 is the same for all.
 * Everything is allocated in the constructor; {@link #record()} allocates nothing.
 */
final class OnlineWorkload {

    /** Which code computes the forecast step and the chunk's forward + backward. */
    enum Mode {
        /** model-core before tuning ({@link BaselineGru}, a verbatim copy of commit 970a2a1's code). */
        BASELINE,
        /** {@link GruModel#step} (live parameters) and {@link TruncatedBptt#run}. */
        LIVE,
        /**
         * {@link PreparedModel#step}, refreshed after every optimizer step, recording into a
         * {@link ForwardTrace}, and {@link TruncatedBptt#run} on the same prepared model and trace (as
         * {@code SeriesLearner} does).
         */
        PREPARED
    }

    static final int SERIES_LENGTH = 4096;

    final GruConfig config;
    final GruModel model;
    final double[] parameters;
    final int chunk;
    final int window;
    final Mode mode;

    private final SyntheticSeries series;
    private final StepWorkspace workspace;
    private final double[] liveState;
    private final double[] x;
    private final double[] out;

    private final TruncatedBptt bptt;
    private final BaselineGru baseline;
    private final PreparedModel prepared;
    private final ForwardTrace trace;
    private final Loss loss = new MseLoss();
    private final double[] chunkState;
    private final double[] chunkInputs;
    private final double[] chunkTargets;
    private final boolean[] labelled;

    private final Trainer trainer;

    private int cursor;
    private int inChunk;
    private long trainedChunks;
    private double lastLoss;

    OnlineWorkload(int inputs, int hidden, int layers, int chunk, int window, long seed, Mode mode) {
        this.config = GruConfig.linear(inputs, hidden, layers, 1);
        this.chunk = chunk;
        this.window = window;
        this.mode = mode;
        int size = new ParameterLayout(config).size();
        this.parameters = SyntheticSeries.initialParameters(size, hidden, seed);
        this.model = new GruModel(config, parameters);
        this.series = new SyntheticSeries(SERIES_LENGTH, inputs, seed + 1);
        this.workspace = model.newWorkspace();
        this.liveState = model.newState();
        this.x = new double[inputs];
        this.out = new double[1];
        this.bptt = new TruncatedBptt(config, chunk, false);
        this.baseline = mode == Mode.BASELINE ? new BaselineGru(config, parameters, chunk) : null;
        this.prepared = mode == Mode.PREPARED ? new PreparedModel(model) : null;
        this.trace = mode == Mode.PREPARED ? new ForwardTrace(config, chunk) : null;
        this.chunkState = model.newState();
        this.chunkInputs = new double[chunk * inputs];
        this.chunkTargets = new double[chunk];
        this.labelled = new boolean[chunk];
        Arrays.fill(labelled, true);
        this.trainer = new Trainer(model, window, this.prepared);
    }

    /** One record: forecast step, chunk bookkeeping, and the chunk's BPTT / optimizer step when due. */
    double record() {
        int inputs = config.inputSize();
        int t = cursor;
        System.arraycopy(series.x, t * inputs, x, 0, inputs);
        forecast(inChunk);
        System.arraycopy(x, 0, chunkInputs, inChunk * inputs, inputs);
        chunkTargets[inChunk] = series.y[t];
        cursor = t + 1 == series.records ? 0 : t + 1;
        if (++inChunk == chunk) {
            inChunk = 0;
            double lossSum = runChunk(trainer.chunkGradient());
            trainedChunks++;
            lastLoss = lossSum;
            trainer.commitChunk(lossSum, chunk);
        }
        return out[0] + lastLoss;
    }

    /** Chunks trained by {@link #record()}. */
    long trainedChunks() {
        return trainedChunks;
    }

    /** Whether the last chunk's run took the forecasts' activations instead of computing them (PREPARED only). */
    boolean lastRunReusedForward() {
        return bptt.reusedForward();
    }

    private double runChunk(double[] gradient) {
        if (baseline != null) {
            return baseline.run(chunkState, chunkInputs, chunkTargets, labelled, chunk, loss, gradient, chunkState);
        }
        if (prepared != null) {
            // As SeriesLearner does: the run reuses the prepared snapshot's weight columns (refreshed after every step).
            return bptt.run(prepared, trace, chunkState, chunkInputs, null, chunkTargets, labelled, chunk, loss,
                    gradient, chunkState);
        }
        return bptt.run(model, chunkState, chunkInputs, chunkTargets, labelled, chunk, loss, gradient, chunkState);
    }

    /** The forecast step of the chunk's step {@code pos}. */
    private void forecast(int pos) {
        switch (mode) {
            case BASELINE -> baseline.step(liveState, x, out);
            case LIVE -> model.step(liveState, x, out, workspace);
            case PREPARED -> prepared.step(liveState, x, out, workspace, trace, pos);
            default -> throw new IllegalStateException();
        }
    }

    /** Only the chunk's forward + backward (no forecast step, no optimizer), for the breakdown. */
    double bpttOnly() {
        return runChunk(trainer.scratchGradient());
    }

    /** Only the forecast step, for the breakdown. */
    double stepOnly() {
        int inputs = config.inputSize();
        int t = cursor;
        System.arraycopy(series.x, t * inputs, x, 0, inputs);
        cursor = t + 1 == series.records ? 0 : t + 1;
        forecast(inChunk); // recorded as the chunk's steps are (PREPARED), without training
        inChunk = inChunk + 1 == chunk ? 0 : inChunk + 1;
        return out[0];
    }

    /** Only the optimizer step on the current gradient, for the breakdown. */
    void optimizerOnly() {
        trainer.forceStep();
    }

    /** Fills the first chunk so {@link #bpttOnly()} has real data. */
    void primeChunk() {
        int inputs = config.inputSize();
        System.arraycopy(series.x, 0, chunkInputs, 0, chunk * inputs);
        System.arraycopy(series.y, 0, chunkTargets, 0, chunk);
    }

    /**
     * Guards the comparison: on a fresh copy of this workload's parameters the baseline and
     * model-core compute the same chunk loss and gradient (to rounding: the activations differ in
     * the last bits). Throws if not.
     */
    static void checkBaselineAgrees(int inputs, int hidden, int layers, int chunk) {
        OnlineWorkload a = new OnlineWorkload(inputs, hidden, layers, chunk, chunk, 7, Mode.BASELINE);
        OnlineWorkload b = new OnlineWorkload(inputs, hidden, layers, chunk, chunk, 7, Mode.LIVE);
        a.primeChunk();
        b.primeChunk();
        double[] ga = new double[a.parameters.length];
        double[] gb = new double[b.parameters.length];
        double la = a.runChunk(ga);
        double lb = b.runChunk(gb);
        double worst = Math.abs(la - lb) / Math.max(1, Math.abs(la));
        for (int i = 0; i < ga.length; i++) {
            worst = Math.max(worst, Math.abs(ga[i] - gb[i]));
        }
        if (!(worst < 1e-10)) {
            throw new IllegalStateException("baseline and model-core disagree by " + worst);
        }
    }
}
