package io.streamgru.bench;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.PreparedModel;
import io.streamgru.model.gru.StepWorkspace;
import io.streamgru.model.gru.TruncatedBptt;
import io.streamgru.model.loss.Loss;
import io.streamgru.model.loss.MseLoss;

/**
 * The per-record work of the online learner for one series, as the benchmarks and the PyTorch
 * script ({@code bench/pytorch_online.py}) define a "record":
 * <ol>
 *   <li>one forward step on the series' live state — the forecast: {@link GruModel#step}, or with
 *       {@code prepared} {@link PreparedModel#step} (same numbers), refreshed after every optimizer
 *       step;</li>
 *   <li>the record's input and target go into the current chunk; every {@code k} records one
 *       {@link TruncatedBptt#run} over the chunk (forward + backward of k steps from the chunk's
 *       start state, MSE at every step), whose end state is the next chunk's start state;</li>
 *   <li>every {@code W} samples (labelled steps) one optimizer step (Adam) on the averaged gradient.</li>
 * </ol>
 * Everything is allocated in the constructor; {@link #record()} allocates nothing.
 */
final class OnlineWorkload {

    static final int SERIES_LENGTH = 4096;

    final GruConfig config;
    final GruModel model;
    final double[] parameters;
    final int chunk;
    final int window;

    private final SyntheticSeries series;
    private final StepWorkspace workspace;
    private final double[] liveState;
    private final double[] x;
    private final double[] out;

    private final TruncatedBptt bptt;
    private final Loss loss = new MseLoss();
    private final double[] chunkState;
    private final double[] chunkInputs;
    private final double[] chunkTargets;
    private final boolean[] labelled;

    private final Trainer trainer;
    private final PreparedModel prepared;

    private int cursor;
    private int inChunk;
    private double lastLoss;

    OnlineWorkload(int inputs, int hidden, int layers, int chunk, int window, long seed) {
        this(inputs, hidden, layers, chunk, window, seed, false);
    }

    OnlineWorkload(int inputs, int hidden, int layers, int chunk, int window, long seed, boolean prepared) {
        this.config = GruConfig.linear(inputs, hidden, layers, 1);
        this.chunk = chunk;
        this.window = window;
        int size = new io.streamgru.model.gru.ParameterLayout(config).size();
        this.parameters = SyntheticSeries.initialParameters(size, hidden, seed);
        this.model = new GruModel(config, parameters);
        this.series = new SyntheticSeries(SERIES_LENGTH, inputs, seed + 1);
        this.workspace = model.newWorkspace();
        this.liveState = model.newState();
        this.x = new double[inputs];
        this.out = new double[1];
        this.bptt = new TruncatedBptt(config, chunk);
        this.chunkState = model.newState();
        this.chunkInputs = new double[chunk * inputs];
        this.chunkTargets = new double[chunk];
        this.labelled = new boolean[chunk];
        java.util.Arrays.fill(labelled, true);
        this.prepared = prepared ? new PreparedModel(model) : null;
        this.trainer = new Trainer(model, window, this.prepared);
    }

    /** One record: forecast step, chunk bookkeeping, and the chunk's BPTT / optimizer step when due. */
    double record() {
        int inputs = config.inputSize();
        int t = cursor;
        System.arraycopy(series.x, t * inputs, x, 0, inputs);
        System.arraycopy(x, 0, chunkInputs, inChunk * inputs, inputs);
        chunkTargets[inChunk] = series.y[t];
        cursor = t + 1 == series.records ? 0 : t + 1;
        if (++inChunk == chunk) {
            inChunk = 0;
            trainChunk();
        }
        forecast();
        return out[0] + lastLoss;
    }

    private void trainChunk() {
        double lossSum = bptt.run(model, chunkState, chunkInputs, chunkTargets, labelled, chunk, loss,
                trainer.chunkGradient(), chunkState);
        lastLoss = lossSum;
        trainer.commitChunk(lossSum, bptt.samples());
    }

    /** Only the chunk's forward + backward (no forecast step, no optimizer), for the breakdown. */
    double bpttOnly() {
        double lossSum = bptt.run(model, chunkState, chunkInputs, chunkTargets, labelled, chunk, loss,
                trainer.scratchGradient(), chunkState);
        return lossSum;
    }

    /** Only the forecast step, for the breakdown. */
    double stepOnly() {
        int inputs = config.inputSize();
        int t = cursor;
        System.arraycopy(series.x, t * inputs, x, 0, inputs);
        cursor = t + 1 == series.records ? 0 : t + 1;
        forecast();
        return out[0];
    }

    private void forecast() {
        if (prepared != null) {
            prepared.step(liveState, x, out, workspace);
        } else {
            model.step(liveState, x, out, workspace);
        }
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
}
