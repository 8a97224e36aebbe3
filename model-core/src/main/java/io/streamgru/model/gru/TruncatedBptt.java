package io.streamgru.model.gru;

import io.streamgru.model.loss.Loss;
import java.util.Arrays;

/**
 * Truncated backpropagation through time over one chunk of up to {@code maxSteps} steps of one
 * series: forward from the chunk's start state with the given model, loss at the labelled steps,
 * backward through the chunk only. Parameter gradients are ADDED into a caller-owned buffer (so
 * chunks of many series accumulate into one window), the chunk's end state is written out (the
 * hidden state carries across chunks; gradients do not), and ∂loss/∂start-state is kept (unless
 * the instance is built without it, as the online learners' are: their start states are detached).
 *
 * <p>One instance per thread; all caches are allocated up front, so a run allocates nothing.
 *
 * <p>Performance layout (same numbers as the straightforward per-step formulation, bit for bit):
 * at the start of a run the layers' weights are copied into zero-offset columns and rows
 * ({@link CellBuffers}) so the matrix-vector products run as vectorised AXPY loops (a run on a
 * {@link PreparedModel} takes the columns and rows from it and copies no weights); per-step
 * caches are separate arrays per layer and step for the same reason; and the parameter-gradient
 * outer products are summed once per chunk, row by row, in the per-step order, straight into the
 * caller's flat gradient ({@link GruCell#accumulateGradients}; a narrow W_ih's into a column copy).
 * The copies cost about one extra pass over the weights per chunk, and an instance holds about two
 * copies of the GRU weights (columns, W_hh rows) besides its per-step caches.
 */
public final class TruncatedBptt {

    private final GruConfig config;
    private final int maxSteps;
    private final int h;
    private final int layers;
    private final int outputs;
    private final int headWidth;

    // The forward pass's caches when it is computed here (states, gates, inputs, start states per layer and step).
    private final ForwardTrace own;
    // Per layer and step: dgi, dgh = deltas.
    private final double[][][] dgi;
    private final double[][][] dgh;
    private final double[][] dhCarry;
    // headU [t * headWidth + i]; y and dy [t * outputs + i].
    private final double[] headU;
    private final double[] y;
    private final double[] dy;

    private final double[] gi;
    private final double[] gh;
    private final double[] s1;
    private final double[] s2;
    private final double[] s3;
    private final double[] du;
    private final double[] dhPrev;
    private final double[] startGradient;
    private final boolean computesStartGradient;

    private final GruCell[] cells;
    private final CellBuffers[] buffers;

    private int lastSteps;
    private int lastSamples;
    private boolean lastReused;

    /** An instance that also computes {@link #startStateGradient()}. */
    public TruncatedBptt(GruConfig config, int maxSteps) {
        this(config, maxSteps, true);
    }

    /**
     * @param startStateGradient whether to compute {@link #startStateGradient()}: truncated BPTT
     *                           discards it (the chunk's start state is detached), and without it
     *                           the first step's backward skips its W_hh product (1/k of them)
     */
    public TruncatedBptt(GruConfig config, int maxSteps, boolean startStateGradient) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        }
        this.config = config;
        this.maxSteps = maxSteps;
        this.h = config.hiddenSize();
        this.layers = config.layers();
        this.outputs = config.outputs();
        this.headWidth = Math.max(1, config.headHidden());
        int h3 = 3 * h;
        own = new ForwardTrace(config, maxSteps);
        dgi = new double[layers][maxSteps][h3];
        dgh = new double[layers][maxSteps][h3];
        dhCarry = new double[layers][h];
        headU = new double[maxSteps * headWidth];
        y = new double[maxSteps * outputs];
        dy = new double[maxSteps * outputs];
        gi = new double[h3];
        gh = new double[h3];
        s1 = new double[h3];
        s2 = new double[h3];
        s3 = new double[h3];
        du = new double[headWidth];
        dhPrev = new double[h];
        startGradient = new double[layers * h];
        computesStartGradient = startStateGradient;
        ParameterLayout layout = new ParameterLayout(config);
        cells = new GruCell[layers];
        buffers = new CellBuffers[layers];
        for (int l = 0; l < layers; l++) {
            cells[l] = new GruCell(layout, l);
            buffers[l] = new CellBuffers(cells[l], true, true, l > 0);
        }
    }

    public int maxSteps() {
        return maxSteps;
    }

    /**
     * Runs forward and backward over one chunk.
     *
     * @param model      the current model (its parameters are read, not changed)
     * @param startState the state before the chunk's first step ({@code stateSize()} values)
     * @param inputs     {@code steps × inputSize} inputs, row after row
     * @param targets    {@code steps × loss.targetWidth(outputs)} targets; ignored where not labelled
     * @param labelled   which steps have a target (a loss term); e.g. only the last for many-to-one
     * @param steps      chunk length, 1..maxSteps
     * @param loss       the per-step loss
     * @param gradient   buffer of {@code layout.size()} that parameter gradients are added into
     * @param endState   receives the state after the last step (may be {@code startState})
     * @return the sum of the per-step losses over the labelled steps
     */
    public double run(GruModel model, double[] startState, double[] inputs, double[] targets, boolean[] labelled,
                      int steps, Loss loss, double[] gradient, double[] endState) {
        return run(model, startState, inputs, null, targets, labelled, steps, loss, gradient, endState);
    }

    /**
     * {@link #run(GruModel, double[], double[], double[], boolean[], int, Loss, double[], double[])} for
     * a model with a linear path: {@code linearInputs} holds {@code steps × linearInputs} values, row
     * after row (null without a linear path).
     */
    public double run(GruModel model, double[] startState, double[] inputs, double[] linearInputs, double[] targets,
                      boolean[] labelled, int steps, Loss loss, double[] gradient, double[] endState) {
        check(model, steps, linearInputs);
        double[] p = model.parameters();
        for (int l = 0; l < layers; l++) {
            buffers[l].loadWeights(p, cells[l]);
        }
        return run(p, model.head(), model.linearPath(), buffers, null, startState, inputs, linearInputs, targets,
                labelled, steps, loss, gradient, endState);
    }

    /**
     * {@link #run(GruModel, double[], double[], double[], double[], boolean[], int, Loss, double[], double[])}
     * with the parameters of a prepared snapshot: the forward products use the snapshot's weight
     * columns instead of copying them again, so a run costs one transposition of the weights less.
     * The same numbers, bit for bit, as a run on {@code prepared.model()} when the snapshot is
     * current, i.e. refreshed after the last change of the model's parameters (which is what the
     * owner of a {@link PreparedModel} does after every optimizer step); on a stale snapshot this
     * trains the parameters as they were at its last refresh.
     */
    public double run(PreparedModel prepared, double[] startState, double[] inputs, double[] linearInputs,
                      double[] targets, boolean[] labelled, int steps, Loss loss, double[] gradient, double[] endState) {
        return run(prepared, null, startState, inputs, linearInputs, targets, labelled, steps, loss, gradient,
                endState);
    }

    /**
     * {@link #run(PreparedModel, double[], double[], double[], double[], boolean[], int, Loss, double[], double[])}
     * that takes the chunk's forward activations from {@code trace} instead of computing them, when
     * the trace holds exactly this forward pass: recorded by {@code prepared}'s forecast steps at its
     * current version, from this start state over these inputs (all compared bit for bit; see
     * {@link ForwardTrace}); otherwise (or with a null trace) it computes them as always. The same
     * numbers either way, bit for bit. {@link #reusedForward()} tells which happened.
     */
    public double run(PreparedModel prepared, ForwardTrace trace, double[] startState, double[] inputs,
                      double[] linearInputs, double[] targets, boolean[] labelled, int steps, Loss loss,
                      double[] gradient, double[] endState) {
        GruModel model = prepared.model();
        check(model, steps, linearInputs);
        double[] p = prepared.parameters();
        // matches() accepts at most the steps recorded, so never more than the trace holds.
        boolean reuse = trace != null && trace.layers == layers && trace.h == h
                && trace.inputSize == config.inputSize() && trace.matches(prepared, startState, inputs, steps);
        return run(p, model.head(), model.linearPath(), prepared.layers(), reuse ? trace : null, startState, inputs,
                linearInputs, targets, labelled, steps, loss, gradient, endState);
    }

    private void check(GruModel model, int steps, double[] linearInputs) {
        if (steps < 1 || steps > maxSteps) {
            throw new IllegalArgumentException("steps must be in [1, " + maxSteps + "], got " + steps);
        }
        if (!model.config().equals(config)) {
            throw new IllegalArgumentException("model config " + model.config() + " differs from " + config);
        }
        int linearWidth = config.linearInputs();
        if (linearWidth > 0 && (linearInputs == null || linearInputs.length < steps * linearWidth)) {
            throw new IllegalArgumentException("the model's linear path needs " + linearWidth + " inputs per step");
        }
    }

    /**
     * The run itself: forward on the columns and biases of {@code forward} (this instance's buffers
     * or a prepared model's, loaded from {@code p}), backward on its rows, gradient sums into this
     * instance's buffers. With a
     * {@code recorded} forward pass (a matching trace) only the head's forward runs here.
     */
    private double run(double[] p, OutputHead head, LinearPath linear, CellBuffers[] forward, ForwardTrace recorded,
                       double[] startState, double[] inputs, double[] linearInputs, double[] targets,
                       boolean[] labelled, int steps, Loss loss, double[] gradient, double[] endState) {
        int linearWidth = config.linearInputs();
        int inSize = config.inputSize();
        int tw = loss.targetWidth(outputs);
        int top = layers - 1;

        GruCell[] cell = cells;
        CellBuffers[] w = buffers;
        ForwardTrace a = recorded != null ? recorded : own;
        double[][][] hs = a.hs;
        double[][][] r = a.r;
        double[][][] z = a.z;
        double[][][] n = a.n;
        double[][][] ghn = a.ghn;
        double[][] xs = a.xs;
        double[][] start = a.start;
        if (recorded == null) {
            for (int l = 0; l < layers; l++) {
                System.arraycopy(startState, l * h, start[l], 0, h);
            }
        }

        double lossSum = 0;
        int samples = 0;
        for (int t = 0; t < steps; t++) {
            if (recorded == null) {
                System.arraycopy(inputs, t * inSize, xs[t], 0, inSize);
                for (int l = 0; l < layers; l++) {
                    double[] input = l == 0 ? xs[t] : hs[l - 1][t];
                    double[] prev = t == 0 ? start[l] : hs[l][t - 1];
                    cell[l].forward(forward[l], input, 0, prev, gi, gh, s1, s2, s3,
                            r[l][t], z[l][t], n[l][t], ghn[l][t], hs[l][t]);
                }
            }
            head.forward(p, hs[top][t], 0, headU, t * headWidth, y, t * outputs);
            linear.forwardAdd(p, linearInputs, t * linearWidth, y, t * outputs);
            if (labelled[t]) {
                lossSum += loss.evaluate(y, t * outputs, outputs, targets, t * tw, dy, t * outputs);
                samples++;
            }
        }

        for (int l = 0; l < layers; l++) {
            Arrays.fill(dhCarry[l], 0.0);
        }
        for (int t = steps - 1; t >= 0; t--) {
            if (labelled[t]) {
                head.backward(p, hs[top][t], 0, headU, t * headWidth, dy, t * outputs, du,
                        gradient, dhCarry[top], 0);
                linear.backward(linearInputs, t * linearWidth, dy, t * outputs, gradient);
            }
            for (int l = top; l >= 0; l--) {
                double[] prev = t == 0 ? start[l] : hs[l][t - 1];
                // ∂L/∂x of layer l is ∂L/∂h of layer l−1 at the same step: add it straight into the carry.
                cell[l].backward(forward[l], prev, r[l][t], z[l][t], n[l][t], ghn[l][t],
                        dhCarry[l], dgi[l][t], dgh[l][t], l == 0 ? null : dhCarry[l - 1], dhPrev,
                        t > 0 || computesStartGradient);
                System.arraycopy(dhPrev, 0, dhCarry[l], 0, h);
            }
        }
        for (int l = 0; l < layers; l++) {
            w[l].loadGradient(gradient, cell[l]);
            cell[l].accumulateGradients(w[l], gradient, steps, dgi[l], dgh[l], l == 0 ? xs : hs[l - 1], start[l], hs[l]);
            w[l].storeGradient(gradient, cell[l]);
            if (computesStartGradient) {
                System.arraycopy(dhCarry[l], 0, startGradient, l * h, h);
            }
            System.arraycopy(hs[l][steps - 1], 0, endState, l * h, h);
        }
        lastSteps = steps;
        lastSamples = samples;
        lastReused = recorded != null;
        return lossSum;
    }

    /** Whether the last run took its forward activations from a trace instead of computing them. */
    public boolean reusedForward() {
        return lastReused;
    }

    /** ∂loss/∂(start state) of the last run; valid until the next run. */
    public double[] startStateGradient() {
        if (!computesStartGradient) {
            throw new IllegalStateException("this instance was built without the start state's gradient");
        }
        return startGradient;
    }

    /** Head outputs of the last run, {@code steps × outputs}; valid until the next run. */
    public double[] outputs() {
        return y;
    }

    /** Number of labelled steps (loss terms, i.e. samples) in the last run. */
    public int samples() {
        return lastSamples;
    }

    /** Chunk length of the last run. */
    public int steps() {
        return lastSteps;
    }
}
