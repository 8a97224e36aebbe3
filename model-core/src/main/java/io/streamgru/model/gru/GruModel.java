package io.streamgru.model.gru;

/**
 * A stacked GRU with an output head: one set of parameters that serves any number of series.
 * The model holds no per-series state: the caller owns each series' hidden state
 * ({@link GruConfig#stateSize()} numbers, layer after layer) and hands it to {@link #step}.
 *
 * <p>The parameter array is shared, not copied: an optimizer updating it in place changes what
 * this model computes. For the fastest forward steps use a {@link PreparedModel}, a snapshot of the
 * parameters laid out for vectorised products that its owner refreshes after each change.
 */
public final class GruModel {

    private final GruConfig config;
    private final ParameterLayout layout;
    private final double[] parameters;
    private final GruCell[] cells;
    private final OutputHead head;
    private final LinearPath linear;

    public GruModel(GruConfig config, double[] parameters) {
        this(new ParameterLayout(config), parameters);
    }

    public GruModel(ParameterLayout layout, double[] parameters) {
        if (parameters.length != layout.size()) {
            throw new IllegalArgumentException("expected " + layout.size() + " parameters for " + layout.config()
                    + ", got " + parameters.length);
        }
        this.config = layout.config();
        this.layout = layout;
        this.parameters = parameters;
        this.cells = new GruCell[config.layers()];
        for (int l = 0; l < cells.length; l++) {
            cells[l] = new GruCell(layout, l);
        }
        this.head = new OutputHead(layout);
        this.linear = new LinearPath(layout);
    }

    public GruConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The live parameter array (PyTorch order, see {@link ParameterLayout}). */
    public double[] parameters() {
        return parameters;
    }

    GruCell cell(int layer) {
        return cells[layer];
    }

    OutputHead head() {
        return head;
    }

    LinearPath linearPath() {
        return linear;
    }

    /** A zero hidden state for a new series. */
    public double[] newState() {
        return new double[config.stateSize()];
    }

    public StepWorkspace newWorkspace() {
        return new StepWorkspace(config);
    }

    /**
     * Advances one series by one step: reads {@code x} (inputSize values), updates {@code state}
     * in place and writes the head's {@code outputs} values into {@code out}. Allocates nothing.
     */
    public void step(double[] state, double[] x, double[] out, StepWorkspace ws) {
        int h = config.hiddenSize();
        for (int l = 0; l < cells.length; l++) {
            // Layer l > 0 reads layer l-1's new state, already written into state.
            cells[l].forwardStep(parameters, l == 0 ? x : state, l == 0 ? 0 : (l - 1) * h, state, l * h, ws);
        }
        head.forward(parameters, state, (cells.length - 1) * h, ws.u, 0, out, 0);
    }

    /**
     * {@link #step} for a model with a linear path: adds {@code highway.weight · linearInputs}
     * ({@link GruConfig#linearInputs()} values) to the head's outputs.
     */
    public void step(double[] state, double[] x, double[] linearInputs, double[] out, StepWorkspace ws) {
        step(state, x, out, ws);
        linear.forwardAdd(parameters, linearInputs, 0, out, 0);
    }

    /** Writes the head's outputs for the current {@code state} without advancing it. */
    public void output(double[] state, double[] out, StepWorkspace ws) {
        head.forward(parameters, state, (cells.length - 1) * config.hiddenSize(), ws.u, 0, out, 0);
    }
}
