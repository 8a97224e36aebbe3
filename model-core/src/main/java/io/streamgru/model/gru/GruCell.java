package io.streamgru.model.gru;

import static io.streamgru.model.gru.DenseKernels.gemv;
import static io.streamgru.model.gru.DenseKernels.gemvTransposedAdd;
import static io.streamgru.model.gru.DenseKernels.outerAdd;
import static io.streamgru.model.gru.DenseKernels.sigmoid;

/**
 * One GRU layer, one time step, forward and backward, with PyTorch {@code nn.GRU} equations
 * (gate rows r, z, n; the reset gate multiplies {@code W_hn h + b_hn}):
 * <pre>
 * r  = σ(W_ir x + b_ir + W_hr h + b_hr)
 * z  = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Stateless: parameters, inputs, caches and scratch are passed in as arrays with offsets.
 */
final class GruCell {

    private final int layer;
    private final int in;
    private final int h;
    private final int wIh;
    private final int wHh;
    private final int bIh;
    private final int bHh;

    GruCell(ParameterLayout layout, int layer) {
        this.layer = layer;
        this.in = layout.config().layerInputSize(layer);
        this.h = layout.config().hiddenSize();
        this.wIh = layout.weightIh(layer);
        this.wHh = layout.weightHh(layer);
        this.bIh = layout.biasIh(layer);
        this.bHh = layout.biasHh(layer);
    }

    int layer() {
        return layer;
    }

    /**
     * Forward step. Writes the gates r, z, n and {@code ghn = W_hn h + b_hn} (needed by backward)
     * and the new state {@code hOut}, which may be the same slot as {@code hPrev}.
     *
     * @param gi scratch of 3H for {@code W_ih x + b_ih}
     * @param gh scratch of 3H for {@code W_hh h + b_hh}
     */
    void forward(double[] p, double[] x, int xOff, double[] hPrev, int hOff,
                 double[] gi, double[] gh,
                 double[] r, double[] z, double[] n, double[] ghn, int gOff,
                 double[] hOut, int hOutOff) {
        int h3 = 3 * h;
        gemv(p, wIh, h3, in, x, xOff, p, bIh, gi, 0);
        gemv(p, wHh, h3, h, hPrev, hOff, p, bHh, gh, 0);
        for (int i = 0; i < h; i++) {
            double ri = sigmoid(gi[i] + gh[i]);
            double zi = sigmoid(gi[h + i] + gh[h + i]);
            double hn = gh[2 * h + i];
            double ni = Math.tanh(gi[2 * h + i] + ri * hn);
            r[gOff + i] = ri;
            z[gOff + i] = zi;
            n[gOff + i] = ni;
            ghn[gOff + i] = hn;
            hOut[hOutOff + i] = (1.0 - zi) * ni + zi * hPrev[hOff + i];
        }
    }

    /**
     * Backward step. Given {@code dh} = ∂L/∂h' (H), adds parameter gradients into {@code g}
     * (same layout as the parameters), adds ∂L/∂x into {@code dx} (skipped when null) and
     * writes ∂L/∂h into {@code dhPrev}.
     *
     * @param dgi scratch of 3H (∂L/∂(W_ih x + b_ih))
     * @param dgh scratch of 3H (∂L/∂(W_hh h + b_hh))
     */
    void backward(double[] p, double[] x, int xOff, double[] hPrev, int hOff,
                  double[] r, double[] z, double[] n, double[] ghn, int gOff,
                  double[] dh, int dhOff, double[] dgi, double[] dgh,
                  double[] g, double[] dx, int dxOff, double[] dhPrev, int dhPrevOff) {
        for (int i = 0; i < h; i++) {
            double ri = r[gOff + i];
            double zi = z[gOff + i];
            double ni = n[gOff + i];
            double d = dh[dhOff + i];
            double dAn = d * (1.0 - zi) * (1.0 - ni * ni);
            double dAz = d * (hPrev[hOff + i] - ni) * zi * (1.0 - zi);
            double dAr = dAn * ghn[gOff + i] * ri * (1.0 - ri);
            dgi[i] = dAr;
            dgi[h + i] = dAz;
            dgi[2 * h + i] = dAn;
            dgh[i] = dAr;
            dgh[h + i] = dAz;
            dgh[2 * h + i] = dAn * ri;
            dhPrev[dhPrevOff + i] = d * zi;
        }
        int h3 = 3 * h;
        outerAdd(dgi, 0, h3, x, xOff, in, g, wIh);
        outerAdd(dgh, 0, h3, hPrev, hOff, h, g, wHh);
        DenseKernels.add(dgi, 0, g, bIh, h3);
        DenseKernels.add(dgh, 0, g, bHh, h3);
        gemvTransposedAdd(p, wHh, h3, h, dgh, 0, dhPrev, dhPrevOff);
        if (dx != null) {
            gemvTransposedAdd(p, wIh, h3, in, dgi, 0, dx, dxOff);
        }
    }
}
