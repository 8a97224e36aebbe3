package io.streamgru.model.gru;

/**
 * A copy of a {@link GruModel}'s parameters laid out for fast forward steps: the GRU weight
 * matrices as zero-offset columns, so {@link #step} runs its matrix-vector products as vectorised
 * passes ({@link ProductKernels#gemvColumns}) instead of the four-row dot products of
 * {@link GruModel#step} — about 2× faster on the GRU's shapes (docs/BENCHMARKS.md). The numbers are
 * the same: {@code step} here and {@code GruModel.step} on the same parameters agree bit for bit.
 *
 * <p><b>A snapshot.</b> Unlike {@link GruModel}, which reads its parameter array live, a prepared
 * model computes with the parameters as they were at construction or at the last {@link #refresh()}.
 * Whoever changes the parameters (the optimizer's owner after an optimizer step, a loader after
 * reading weights) calls {@link #refresh()}; it costs about two passes over the parameters (the
 * columns for forward steps, the rows for {@link TruncatedBptt}'s backward passes), so with
 * one optimizer step per window of W records it adds ~1/W of that per record. {@link #version()}
 * counts refreshes, so a caller holding several can tell which parameters each one saw.
 *
 * <p>Read-only after a refresh: one prepared model can serve many threads, each with its own
 * {@link StepWorkspace}; {@link #refresh()} must not run concurrently with {@link #step}.
 */
public final class PreparedModel {

    private final GruModel model;
    private final GruConfig config;
    private final GruCell[] cells;
    private final OutputHead head;
    private final LinearPath linear;
    private final double[] parameters;
    private final CellBuffers[] layers;
    private long version;

    /** Prepares a snapshot of {@code model}'s current parameters. */
    public PreparedModel(GruModel model) {
        this.model = model;
        this.config = model.config();
        this.parameters = new double[model.parameters().length];
        int l = config.layers();
        this.cells = new GruCell[l];
        this.layers = new CellBuffers[l];
        for (int i = 0; i < l; i++) {
            cells[i] = model.cell(i);
            // The rows too: a chunk's backward pass on this snapshot reads them instead of copying its own.
            layers[i] = new CellBuffers(cells[i], true, false, i > 0);
        }
        this.head = model.head();
        this.linear = model.linearPath();
        refresh();
    }

    /** Copies the model's current parameters; call after every change to {@code model.parameters()}. */
    public void refresh() {
        System.arraycopy(model.parameters(), 0, parameters, 0, parameters.length);
        for (int l = 0; l < cells.length; l++) {
            layers[l].loadWeights(parameters, cells[l]);
        }
        version++;
    }

    /** Number of {@link #refresh()} calls including the one at construction. */
    public long version() {
        return version;
    }

    public GruModel model() {
        return model;
    }

    /** The snapshot of the parameters (read-only). */
    double[] parameters() {
        return parameters;
    }

    /** The snapshot's weight columns, rows and biases per layer (read-only), for {@link TruncatedBptt}. */
    CellBuffers[] layers() {
        return layers;
    }

    /**
     * {@link GruModel#step} on the prepared parameters: reads {@code x} (inputSize values), updates
     * {@code state} in place and writes the head's outputs into {@code out}. Allocates nothing.
     */
    public void step(double[] state, double[] x, double[] out, StepWorkspace ws) {
        int h = config.hiddenSize();
        for (int l = 0; l < cells.length; l++) {
            System.arraycopy(state, l * h, ws.hIn, 0, h);
            // Layer l > 0 reads layer l-1's new state, already written back into state.
            cells[l].forward(layers[l], l == 0 ? x : state, l == 0 ? 0 : (l - 1) * h, ws.hIn, ws.gi, ws.gh,
                    ws.s1, ws.s2, ws.s3, ws.r, ws.z, ws.n, ws.ghn, ws.hOut);
            System.arraycopy(ws.hOut, 0, state, l * h, h);
        }
        head.forward(parameters, state, (cells.length - 1) * h, ws.u, 0, out, 0);
    }

    /**
     * {@link #step(double[], double[], double[], StepWorkspace)} that also records its activations
     * as step {@code pos} of a chunk into {@code trace}, for {@link TruncatedBptt} to reuse instead
     * of recomputing them (see {@link ForwardTrace} for when a step is recorded). The same numbers
     * either way: the same forward kernels on the same buffers, only the gates and states are
     * written into the trace instead of the workspace. Allocates nothing.
     */
    public void step(double[] state, double[] x, double[] out, StepWorkspace ws, ForwardTrace trace, int pos) {
        if (trace.layers != cells.length || trace.h != config.hiddenSize() || trace.inputSize != config.inputSize()) {
            throw new IllegalArgumentException("the trace is for another model shape");
        }
        if (!trace.begin(this, pos, state)) {
            step(state, x, out, ws);
            return;
        }
        int h = config.hiddenSize();
        System.arraycopy(x, 0, trace.xs[pos], 0, trace.inputSize);
        for (int l = 0; l < cells.length; l++) {
            double[] prev = pos == 0 ? trace.start[l] : trace.hs[l][pos - 1];
            double[] input = l == 0 ? trace.xs[pos] : trace.hs[l - 1][pos];
            double[] hOut = trace.hs[l][pos];
            cells[l].forward(layers[l], input, 0, prev, ws.gi, ws.gh, ws.s1, ws.s2, ws.s3,
                    trace.r[l][pos], trace.z[l][pos], trace.n[l][pos], trace.ghn[l][pos], hOut);
            System.arraycopy(hOut, 0, state, l * h, h);
        }
        trace.recorded(pos);
        head.forward(parameters, state, (cells.length - 1) * h, ws.u, 0, out, 0);
    }

    /** {@link #step(double[], double[], double[], double[], StepWorkspace)}, recording into {@code trace} as above. */
    public void step(double[] state, double[] x, double[] linearInputs, double[] out, StepWorkspace ws,
                     ForwardTrace trace, int pos) {
        step(state, x, out, ws, trace, pos);
        linear.forwardAdd(parameters, linearInputs, 0, out, 0);
    }

    /**
     * The linear path's part alone of a step's outputs, {@code W u} (no head, no bias), into
     * {@code out}; zeros without a linear path. Allocates nothing.
     */
    public void linearOutputs(double[] linearInputs, double[] out) {
        java.util.Arrays.fill(out, 0, config.outputs(), 0.0);
        linear.forwardAdd(parameters, linearInputs, 0, out, 0);
    }

    /** {@link GruModel#step(double[], double[], double[], double[], StepWorkspace)} on the prepared parameters. */
    public void step(double[] state, double[] x, double[] linearInputs, double[] out, StepWorkspace ws) {
        step(state, x, out, ws);
        linear.forwardAdd(parameters, linearInputs, 0, out, 0);
    }
}
