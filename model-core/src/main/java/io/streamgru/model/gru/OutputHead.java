package io.streamgru.model.gru;

import static io.streamgru.model.gru.DenseKernels.gemv;
import static io.streamgru.model.gru.DenseKernels.gemvTransposedAdd;
import static io.streamgru.model.gru.DenseKernels.outerAdd;

/**
 * The head on top of the last GRU layer: {@code y = W h + b}, or for the MLP head
 * {@code y = W₂ relu(W₀ h + b₀) + b₂}. Stateless; the MLP's hidden activations are cached by the
 * caller in {@code u} for the backward pass.
 */
final class OutputHead {

    private final HeadType type;
    private final int h;
    private final int m;
    private final int outputs;
    private final int w0;
    private final int b0;
    private final int w2;
    private final int b2;

    OutputHead(ParameterLayout layout) {
        GruConfig c = layout.config();
        this.type = c.head();
        this.h = c.hiddenSize();
        this.m = c.headHidden();
        this.outputs = c.outputs();
        this.w0 = layout.headWeight();
        this.b0 = layout.headBias();
        this.w2 = layout.head2Weight();
        this.b2 = layout.head2Bias();
    }

    /** Width of the MLP hidden layer (0 for a linear head): the cache size per step. */
    int hiddenWidth() {
        return m;
    }

    void forward(double[] p, double[] hTop, int hOff, double[] u, int uOff, double[] y, int yOff) {
        if (type == HeadType.LINEAR) {
            gemv(p, w0, outputs, h, hTop, hOff, p, b0, y, yOff);
            return;
        }
        gemv(p, w0, m, h, hTop, hOff, p, b0, u, uOff);
        for (int i = 0; i < m; i++) {
            if (u[uOff + i] < 0.0) {
                u[uOff + i] = 0.0;
            }
        }
        gemv(p, w2, outputs, m, u, uOff, p, b2, y, yOff);
    }

    /**
     * Adds parameter gradients into {@code g} and ∂L/∂h into {@code dh}.
     *
     * @param du scratch of the MLP width
     */
    void backward(double[] p, double[] hTop, int hOff, double[] u, int uOff, double[] dy, int dyOff,
                  double[] du, double[] g, double[] dh, int dhOff) {
        if (type == HeadType.LINEAR) {
            outerAdd(dy, dyOff, outputs, hTop, hOff, h, g, w0);
            DenseKernels.add(dy, dyOff, g, b0, outputs);
            gemvTransposedAdd(p, w0, outputs, h, dy, dyOff, dh, dhOff);
            return;
        }
        outerAdd(dy, dyOff, outputs, u, uOff, m, g, w2);
        DenseKernels.add(dy, dyOff, g, b2, outputs);
        java.util.Arrays.fill(du, 0, m, 0.0);
        gemvTransposedAdd(p, w2, outputs, m, dy, dyOff, du, 0);
        for (int i = 0; i < m; i++) {
            if (u[uOff + i] <= 0.0) {
                du[i] = 0.0;
            }
        }
        outerAdd(du, 0, m, hTop, hOff, h, g, w0);
        DenseKernels.add(du, 0, g, b0, m);
        gemvTransposedAdd(p, w0, m, h, du, 0, dh, dhOff);
    }
}
