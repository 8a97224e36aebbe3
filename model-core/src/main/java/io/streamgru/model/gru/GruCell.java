package io.streamgru.model.gru;

import static io.streamgru.model.gru.DenseKernels.gemv;
import static io.streamgru.model.gru.DenseKernels.gemvTransposedAdd;
import static io.streamgru.model.gru.DenseKernels.outerAdd;
import static io.streamgru.model.gru.DenseKernels.sigmoid;
import static io.streamgru.model.gru.DenseKernels.tanh;

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
 *
 * <p>Two forms of each pass compute the same numbers: one on the flat parameter array with
 * offsets (used by {@link GruModel#step}), and one on the zero-offset copies in a
 * {@link CellBuffers} (used by {@link TruncatedBptt}, which prepares them once per chunk), whose
 * loops C2 vectorises. The backward pass of the second form leaves the parameter-gradient sums to
 * {@link #accumulateGradients}, once per chunk, in the same per-element order.
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

    int inputSize() {
        return in;
    }

    int hiddenSize() {
        return h;
    }

    int weightIhOffset() {
        return wIh;
    }

    int weightHhOffset() {
        return wHh;
    }

    int biasIhOffset() {
        return bIh;
    }

    int biasHhOffset() {
        return bHh;
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
            double ni = tanh(gi[2 * h + i] + ri * hn);
            r[gOff + i] = ri;
            z[gOff + i] = zi;
            n[gOff + i] = ni;
            ghn[gOff + i] = hn;
            hOut[hOutOff + i] = (1.0 - zi) * ni + zi * hPrev[hOff + i];
        }
    }

    /**
     * Forward step on prepared weights; the same numbers as
     * {@link #forward(double[], double[], int, double[], int, double[], double[], double[], double[],
     * double[], double[], int, double[], int)}. All arrays but {@code x} start at 0; {@code hOut}
     * must not be {@code hPrev}.
     *
     * @param s1 scratch of 3H (as are {@code s2}, {@code s3}, {@code gi}, {@code gh})
     */
    void forward(CellBuffers w, double[] x, int xOff, double[] hPrev, double[] gi, double[] gh,
                 double[] s1, double[] s2, double[] s3,
                 double[] r, double[] z, double[] n, double[] ghn, double[] hOut) {
        int h3 = 3 * h;
        ProductKernels k = Kernels.PRODUCTS;
        k.gemvColumns(w.wIhCols, w.wIhPacked, h3, in, x, xOff, w.bIh, gi, s1, s2, s3);
        k.gemvColumns(w.wHhCols, w.wHhPacked, h3, h, hPrev, 0, w.bHh, gh, s1, s2, s3);
        k.gates(gi, gh, hPrev, h, r, z, n, ghn, hOut, s1, s2);
    }

    /**
     * {@link GruModel#step}'s forward step for this layer, on the live parameters: reads the
     * layer's input {@code x[xOff..]} and its state {@code state[hOff..]}, writes the new state
     * there; gates and scratch in {@code ws}. The same numbers as the other forward forms.
     */
    void forwardStep(double[] p, double[] x, int xOff, double[] state, int hOff, StepWorkspace ws) {
        int h3 = 3 * h;
        gemv(p, wIh, h3, in, x, xOff, p, bIh, ws.gi, 0);
        gemv(p, wHh, h3, h, state, hOff, p, bHh, ws.gh, 0);
        System.arraycopy(state, hOff, ws.hIn, 0, h);
        Kernels.PRODUCTS.gates(ws.gi, ws.gh, ws.hIn, h, ws.r, ws.z, ws.n, ws.ghn, ws.hOut, ws.s1, ws.s2);
        System.arraycopy(ws.hOut, 0, state, hOff, h);
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

    /**
     * Backward step on prepared weights, without the parameter gradients: writes δ into
     * {@code dgi}/{@code dgh} (kept per step for {@link #accumulateGradients}), ∂L/∂h into
     * {@code dhPrev} (only its direct part {@code dh · z} unless {@code stateGradient}: the W_hh
     * product is skipped where nobody reads it), and adds ∂L/∂x into {@code dx} (skipped when null;
     * needs {@link CellBuffers#wIhRows}). All arrays start at 0.
     */
    void backward(CellBuffers w, double[] hPrev, double[] r, double[] z, double[] n, double[] ghn,
                  double[] dh, double[] dgi, double[] dgh, double[] dx, double[] dhPrev, boolean stateGradient) {
        for (int i = 0; i < h; i++) {
            double ri = r[i];
            double zi = z[i];
            double ni = n[i];
            double d = dh[i];
            double dAn = d * (1.0 - zi) * (1.0 - ni * ni);
            double dAz = d * (hPrev[i] - ni) * zi * (1.0 - zi);
            double dAr = dAn * ghn[i] * ri * (1.0 - ri);
            dgi[i] = dAr;
            dgi[h + i] = dAz;
            dgi[2 * h + i] = dAn;
            dgh[i] = dAr;
            dgh[h + i] = dAz;
            dgh[2 * h + i] = dAn * ri;
            dhPrev[i] = d * zi;
        }
        int h3 = 3 * h;
        ProductKernels k = Kernels.PRODUCTS;
        if (stateGradient) {
            k.gemvTransposedAddRows(w.wHhRows, h3, h, dgh, dhPrev);
        }
        if (dx != null) {
            k.gemvTransposedAddRows(w.wIhRows, h3, in, dgi, dx);
        }
    }

    /**
     * Adds the parameter gradients of a chunk's {@code steps} backward steps: the weights' into the
     * flat gradient {@code g} (W_ih's into {@code w}'s column buffer instead, where it has one), the
     * biases' into {@code w}'s bias buffers. For every element, the terms of steps {@code steps-1}
     * down to 0 in that order, exactly the sums the per-step {@code outerAdd}/{@code add} calls of
     * {@link #backward(double[], double[], int, double[], int, double[], double[], double[], double[],
     * int, double[], int, double[], double[], double[], double[], int, double[], int)} produce, but
     * row by row: a gradient row stays in L1 while the chunk's terms are added to it.
     *
     * @param dgi     δ of {@code W_ih x + b_ih} per step
     * @param dgh     δ of {@code W_hh h + b_hh} per step
     * @param xs      the layer's input per step (zero offset)
     * @param start   the layer's state before step 0
     * @param hs      the layer's state after each step ({@code hs[t-1]} is the input state of step t)
     */
    void accumulateGradients(CellBuffers w, double[] g, int steps, double[][] dgi, double[][] dgh,
                             double[][] xs, double[] start, double[][] hs) {
        int h3 = 3 * h;
        ProductKernels k = Kernels.PRODUCTS;
        if (w.gIhCols != null) {
            k.accumulateColumns(dgi, steps, xs, w.gIhCols, in, h3);
        } else {
            k.accumulateRows(dgi, steps, xs, null, g, wIh, h3, in, w.gradientRow);
        }
        k.accumulateRows(dgh, steps, hs, start, g, wHh, h3, h, w.gradientRow);
        double[] bi = w.gBIh;
        double[] bh = w.gBHh;
        for (int t = steps - 1; t >= 0; t--) {
            double[] di = dgi[t];
            double[] dh = dgh[t];
            for (int i = 0; i < h3; i++) {
                bi[i] += di[i];
                bh[i] += dh[i];
            }
        }
    }
}
