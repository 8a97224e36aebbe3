package io.streamgru.model.gru;

/**
 * Shape of a GRU model: {@code layers} stacked GRU layers of {@code hiddenSize} units over
 * {@code inputSize} inputs, then a head producing {@code outputs} values.
 *
 * @param inputSize  number of inputs per step (features, plus the autoregressive input if used)
 * @param hiddenSize units per GRU layer (H)
 * @param layers     stacked GRU layers (PyTorch {@code num_layers})
 * @param outputs    values produced per step (regression outputs, or classes for cross-entropy)
 * @param head       the head type
 * @param headHidden hidden units of the MLP head (ignored for {@link HeadType#LINEAR})
 * @param linearInputs width of the linear path beside the GRU ({@code highway.weight} [outputs,
 *                   linearInputs], added to the head's output; the caller supplies its inputs per
 *                   step); 0 = none
 */
public record GruConfig(int inputSize, int hiddenSize, int layers, int outputs, HeadType head, int headHidden,
                        int linearInputs) {

    public GruConfig {
        require(inputSize >= 1, "inputSize must be >= 1, got " + inputSize);
        require(hiddenSize >= 1, "hiddenSize must be >= 1, got " + hiddenSize);
        require(layers >= 1, "layers must be >= 1, got " + layers);
        require(outputs >= 1, "outputs must be >= 1, got " + outputs);
        require(head != null, "head must be set");
        if (head == HeadType.MLP) {
            require(headHidden >= 1, "headHidden must be >= 1 for an MLP head, got " + headHidden);
        } else {
            headHidden = 0;
        }
        require(linearInputs >= 0, "linearInputs must be >= 0, got " + linearInputs);
    }

    /** A GRU and head without a linear path. */
    public GruConfig(int inputSize, int hiddenSize, int layers, int outputs, HeadType head, int headHidden) {
        this(inputSize, hiddenSize, layers, outputs, head, headHidden, 0);
    }

    /** This shape with a linear path of {@code inputs} inputs (0: none). */
    public GruConfig withLinearInputs(int inputs) {
        return new GruConfig(inputSize, hiddenSize, layers, outputs, head, headHidden, inputs);
    }

    /** Whether the model has a linear path beside the GRU. */
    public boolean hasLinearPath() {
        return linearInputs > 0;
    }

    /** A GRU with a linear head. */
    public static GruConfig linear(int inputSize, int hiddenSize, int layers, int outputs) {
        return new GruConfig(inputSize, hiddenSize, layers, outputs, HeadType.LINEAR, 0);
    }

    /** A GRU with a one-hidden-layer ReLU MLP head. */
    public static GruConfig mlp(int inputSize, int hiddenSize, int layers, int outputs, int headHidden) {
        return new GruConfig(inputSize, hiddenSize, layers, outputs, HeadType.MLP, headHidden);
    }

    /** Input width of GRU layer {@code layer}: the model inputs for layer 0, H above it. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : hiddenSize;
    }

    /** Length of the per-key hidden state: {@code layers * hiddenSize}. */
    public int stateSize() {
        return layers * hiddenSize;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
