package io.streamgru.model.gru;

import java.util.Arrays;

/**
 * The forward activations of up to one chunk of consecutive forecast steps of one series, kept so
 * that {@link TruncatedBptt} need not compute the chunk's forward pass again: what the backward pass
 * reads (each layer's state after each step, the gates r, z, n, {@code W_hn h + b_hn}, the layer-0
 * inputs and the state before the first step), tagged with the {@link PreparedModel} and its
 * {@link PreparedModel#version() version} they were computed with.
 *
 * <p>{@link PreparedModel#step(double[], double[], double[], StepWorkspace, ForwardTrace, int)}
 * records step {@code pos} of a chunk: step 0 starts a new trace; step {@code pos > 0} extends it
 * only when it holds steps {@code 0..pos-1} of the same prepared parameters and the state handed in
 * is the one its step {@code pos-1} left (bit for bit), else the trace is dropped until the next
 * step 0. {@link TruncatedBptt}'s run on a prepared model and a trace uses it only if, besides, the snapshot is
 * still at that version and the chunk's start state and inputs are bit for bit the trace's; the
 * forward pass being a function of exactly these, a reused chunk trains to the same bits as a
 * recomputed one. Whenever an optimizer step (a refresh) fell between the chunk's first forecast and
 * its training, the run recomputes as before.
 *
 * <p>In memory only (a restarted process recomputes); allocated once, nothing per step. Not
 * thread-safe: one per learner thread.
 */
public final class ForwardTrace {

    final int maxSteps;
    final int layers;
    final int h;
    final int inputSize;

    // Per layer and step, as TruncatedBptt reads them: hs[l][t] = state after step t; r, z, n, ghn = gates.
    final double[][][] hs;
    final double[][][] r;
    final double[][][] z;
    final double[][][] n;
    final double[][][] ghn;
    /** Layer 0's input per step, and each layer's state before step 0. */
    final double[][] xs;
    final double[][] start;

    private PreparedModel source;
    private long version;
    /** Steps 0..steps-1 are recorded consecutively from {@link #start}; 0 = nothing usable. */
    private int steps;

    /** An empty trace for chunks of up to {@code maxSteps} steps of a model of {@code config}. */
    public ForwardTrace(GruConfig config, int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        }
        this.maxSteps = maxSteps;
        this.layers = config.layers();
        this.h = config.hiddenSize();
        this.inputSize = config.inputSize();
        hs = new double[layers][maxSteps][h];
        r = new double[layers][maxSteps][h];
        z = new double[layers][maxSteps][h];
        n = new double[layers][maxSteps][h];
        ghn = new double[layers][maxSteps][h];
        xs = new double[maxSteps][inputSize];
        start = new double[layers][h];
    }

    /** Number of consecutive steps recorded from step 0 (0 when the trace holds nothing usable). */
    public int steps() {
        return steps;
    }

    /** Forgets what the trace holds (the next run recomputes). */
    public void clear() {
        steps = 0;
        source = null;
    }

    /**
     * Whether step {@code pos} of {@code prepared} from {@code state} can be recorded; prepares it if
     * so (step 0: a new trace from {@code state}), drops the trace if not.
     */
    boolean begin(PreparedModel prepared, int pos, double[] state) {
        if (pos == 0) {
            source = prepared;
            version = prepared.version();
            for (int l = 0; l < layers; l++) {
                System.arraycopy(state, l * h, start[l], 0, h);
            }
            steps = 0;
            return true;
        }
        if (pos < maxSteps && pos == steps && source == prepared && version == prepared.version()
                && continues(state, pos - 1)) {
            return true;
        }
        clear();
        return false;
    }

    private boolean continues(double[] state, int last) {
        for (int l = 0; l < layers; l++) {
            if (!Arrays.equals(state, l * h, l * h + h, hs[l][last], 0, h)) {
                return false;
            }
        }
        return true;
    }

    /** Step {@code pos} was recorded. */
    void recorded(int pos) {
        steps = pos + 1;
    }

    /**
     * Whether this trace is the forward pass of {@code steps} steps of {@code prepared} as it is now,
     * from {@code startState} over {@code inputs} ({@code steps × inputSize}), all compared bit for bit.
     */
    boolean matches(PreparedModel prepared, double[] startState, double[] inputs, int chunkSteps) {
        if (chunkSteps > steps || source != prepared || version != prepared.version()) {
            return false;
        }
        for (int l = 0; l < layers; l++) {
            if (!Arrays.equals(startState, l * h, l * h + h, start[l], 0, h)) {
                return false;
            }
        }
        for (int t = 0; t < chunkSteps; t++) {
            if (!Arrays.equals(inputs, t * inputSize, t * inputSize + inputSize, xs[t], 0, inputSize)) {
                return false;
            }
        }
        return true;
    }
}
