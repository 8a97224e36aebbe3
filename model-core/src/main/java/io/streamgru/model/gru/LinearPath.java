package io.streamgru.model.gru;

import static io.streamgru.model.gru.DenseKernels.dot;
import static io.streamgru.model.gru.DenseKernels.outerAdd;

/**
 * The linear path beside the GRU (LSTNet's "highway", Lai et al. 2018): {@code y += W u}, with
 * {@code W} = {@value ParameterLayout#LINEAR_WEIGHT} [outputs, linearInputs] and {@code u} the
 * step's linear inputs, which the caller supplies (for a forecaster: the step's model inputs and
 * the recent history of its target). It has no bias of its own (the head's serves) and no state.
 * Its gradient is {@code ∂L/∂W += dy uᵀ}; nothing flows from it into the GRU.
 */
final class LinearPath {

    private final int outputs;
    private final int width;
    private final int w;

    LinearPath(ParameterLayout layout) {
        this.outputs = layout.config().outputs();
        this.width = layout.config().linearInputs();
        this.w = layout.linearWeight();
    }

    /** Adds {@code W u} into {@code y[yOff..]}; nothing without a linear path. */
    void forwardAdd(double[] p, double[] u, int uOff, double[] y, int yOff) {
        if (width == 0) {
            return;
        }
        for (int i = 0; i < outputs; i++) {
            y[yOff + i] += dot(p, w + i * width, u, uOff, width);
        }
    }

    /** Adds {@code dy uᵀ} into the gradient {@code g}. */
    void backward(double[] u, int uOff, double[] dy, int dyOff, double[] g) {
        if (width == 0) {
            return;
        }
        outerAdd(dy, dyOff, outputs, u, uOff, width, g, w);
    }
}
