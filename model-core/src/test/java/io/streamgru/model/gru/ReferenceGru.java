package io.streamgru.model.gru;

import io.streamgru.model.loss.Loss;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The straightforward formulation of the GRU forward step and truncated BPTT, as first written
 * (one dot product per row, per-step outer products into the gradient, flat caches with offsets,
 * two-branch {@code Math.exp} sigmoid, {@code Math.tanh}): the yardstick the optimised kernels must
 * reproduce. The activations are pluggable so a test can separate the one intended rounding
 * difference (DenseKernels' vectorisable σ and tanh) from everything else, which must agree bit for
 * bit.
 */
final class ReferenceGru {

    private final GruConfig config;
    private final ParameterLayout layout;
    private final DoubleUnaryOperator sigmoid;
    private final DoubleUnaryOperator tanh;

    ReferenceGru(GruConfig config, DoubleUnaryOperator sigmoid, DoubleUnaryOperator tanh) {
        this.config = config;
        this.layout = new ParameterLayout(config);
        this.sigmoid = sigmoid;
        this.tanh = tanh;
    }

    /** With DenseKernels' activations: must agree bit for bit with the optimised code. */
    static ReferenceGru withKernelActivations(GruConfig config) {
        return new ReferenceGru(config, DenseKernels::sigmoid, DenseKernels::tanh);
    }

    /** As first written: two-branch σ over Math.exp, Math.tanh. */
    static ReferenceGru original(GruConfig config) {
        return new ReferenceGru(config, ReferenceGru::sigmoid, Math::tanh);
    }

    /** GruModel.step: state updated in place, head outputs into out. */
    void step(double[] p, double[] state, double[] x, double[] out) {
        int h = config.hiddenSize();
        double[] gi = new double[3 * h];
        double[] gh = new double[3 * h];
        double[] scratch = new double[h];
        for (int l = 0; l < config.layers(); l++) {
            double[] input = l == 0 ? x : state;
            int inputOff = l == 0 ? 0 : (l - 1) * h;
            forward(l, p, input, inputOff, state, l * h, gi, gh, scratch, scratch, scratch, scratch, 0, state, l * h);
        }
        headForward(p, state, (config.layers() - 1) * h, new double[Math.max(1, config.headHidden())], 0, out, 0);
    }

    /** TruncatedBptt.run; returns the loss sum, fills gradient (added), startGrad and endState. */
    double run(double[] p, double[] startState, double[] inputs, double[] targets, boolean[] labelled, int steps,
               Loss loss, double[] gradient, double[] startGrad, double[] endState, double[] yOut) {
        int h = config.hiddenSize();
        int layers = config.layers();
        int outputs = config.outputs();
        int headWidth = Math.max(1, config.headHidden());
        int stride = layers * h;
        int states = steps * stride;
        double[] hs = new double[states];
        double[] r = new double[states];
        double[] z = new double[states];
        double[] n = new double[states];
        double[] ghn = new double[states];
        double[] headU = new double[steps * headWidth];
        double[] y = new double[steps * outputs];
        double[] dy = new double[steps * outputs];
        double[] gi = new double[3 * h];
        double[] gh = new double[3 * h];
        double[] du = new double[headWidth];
        double[] dhCarry = new double[stride];
        double[] dhPrev = new double[h];
        int inSize = config.inputSize();
        int tw = loss.targetWidth(outputs);

        double lossSum = 0;
        for (int t = 0; t < steps; t++) {
            int base = t * stride;
            for (int l = 0; l < layers; l++) {
                double[] input = l == 0 ? inputs : hs;
                int inputOff = l == 0 ? t * inSize : base + (l - 1) * h;
                double[] prev = t == 0 ? startState : hs;
                int prevOff = t == 0 ? l * h : base - stride + l * h;
                int off = base + l * h;
                forward(l, p, input, inputOff, prev, prevOff, gi, gh, r, z, n, ghn, off, hs, off);
            }
            headForward(p, hs, base + (layers - 1) * h, headU, t * headWidth, y, t * outputs);
            if (labelled[t]) {
                lossSum += loss.evaluate(y, t * outputs, outputs, targets, t * tw, dy, t * outputs);
            }
        }
        for (int t = steps - 1; t >= 0; t--) {
            int base = t * stride;
            if (labelled[t]) {
                headBackward(p, hs, base + (layers - 1) * h, headU, t * headWidth, dy, t * outputs, du,
                        gradient, dhCarry, (layers - 1) * h);
            }
            for (int l = layers - 1; l >= 0; l--) {
                double[] input = l == 0 ? inputs : hs;
                int inputOff = l == 0 ? t * inSize : base + (l - 1) * h;
                double[] prev = t == 0 ? startState : hs;
                int prevOff = t == 0 ? l * h : base - stride + l * h;
                int off = base + l * h;
                backward(l, p, input, inputOff, prev, prevOff, r, z, n, ghn, off, dhCarry, l * h, gi, gh, gradient,
                        l == 0 ? null : dhCarry, (l - 1) * h, dhPrev, 0);
                System.arraycopy(dhPrev, 0, dhCarry, l * h, h);
            }
        }
        System.arraycopy(dhCarry, 0, startGrad, 0, stride);
        System.arraycopy(hs, (steps - 1) * stride, endState, 0, stride);
        System.arraycopy(y, 0, yOut, 0, steps * outputs);
        return lossSum;
    }

    private void forward(int layer, double[] p, double[] x, int xOff, double[] hPrev, int hOff, double[] gi, double[] gh,
                         double[] r, double[] z, double[] n, double[] ghn, int gOff, double[] hOut, int hOutOff) {
        int h = config.hiddenSize();
        int in = config.layerInputSize(layer);
        gemv(p, layout.weightIh(layer), 3 * h, in, x, xOff, p, layout.biasIh(layer), gi, 0);
        gemv(p, layout.weightHh(layer), 3 * h, h, hPrev, hOff, p, layout.biasHh(layer), gh, 0);
        for (int i = 0; i < h; i++) {
            double ri = sigmoid.applyAsDouble(gi[i] + gh[i]);
            double zi = sigmoid.applyAsDouble(gi[h + i] + gh[h + i]);
            double hn = gh[2 * h + i];
            double ni = tanh.applyAsDouble(gi[2 * h + i] + ri * hn);
            r[gOff + i] = ri;
            z[gOff + i] = zi;
            n[gOff + i] = ni;
            ghn[gOff + i] = hn;
            hOut[hOutOff + i] = (1.0 - zi) * ni + zi * hPrev[hOff + i];
        }
    }

    private void backward(int layer, double[] p, double[] x, int xOff, double[] hPrev, int hOff,
                          double[] r, double[] z, double[] n, double[] ghn, int gOff,
                          double[] dh, int dhOff, double[] dgi, double[] dgh,
                          double[] g, double[] dx, int dxOff, double[] dhPrev, int dhPrevOff) {
        int h = config.hiddenSize();
        int in = config.layerInputSize(layer);
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
        outerAdd(dgi, 0, h3, x, xOff, in, g, layout.weightIh(layer));
        outerAdd(dgh, 0, h3, hPrev, hOff, h, g, layout.weightHh(layer));
        add(dgi, 0, g, layout.biasIh(layer), h3);
        add(dgh, 0, g, layout.biasHh(layer), h3);
        gemvTransposedAdd(p, layout.weightHh(layer), h3, h, dgh, 0, dhPrev, dhPrevOff);
        if (dx != null) {
            gemvTransposedAdd(p, layout.weightIh(layer), h3, in, dgi, 0, dx, dxOff);
        }
    }

    private void headForward(double[] p, double[] hTop, int hOff, double[] u, int uOff, double[] yv, int yOff) {
        int h = config.hiddenSize();
        int m = config.headHidden();
        if (config.head() == HeadType.LINEAR) {
            gemv(p, layout.headWeight(), config.outputs(), h, hTop, hOff, p, layout.headBias(), yv, yOff);
            return;
        }
        gemv(p, layout.headWeight(), m, h, hTop, hOff, p, layout.headBias(), u, uOff);
        for (int i = 0; i < m; i++) {
            if (u[uOff + i] < 0.0) {
                u[uOff + i] = 0.0;
            }
        }
        gemv(p, layout.head2Weight(), config.outputs(), m, u, uOff, p, layout.head2Bias(), yv, yOff);
    }

    private void headBackward(double[] p, double[] hTop, int hOff, double[] u, int uOff, double[] dyv, int dyOff,
                              double[] du, double[] g, double[] dh, int dhOff) {
        int h = config.hiddenSize();
        int m = config.headHidden();
        int outputs = config.outputs();
        if (config.head() == HeadType.LINEAR) {
            outerAdd(dyv, dyOff, outputs, hTop, hOff, h, g, layout.headWeight());
            add(dyv, dyOff, g, layout.headBias(), outputs);
            gemvTransposedAdd(p, layout.headWeight(), outputs, h, dyv, dyOff, dh, dhOff);
            return;
        }
        outerAdd(dyv, dyOff, outputs, u, uOff, m, g, layout.head2Weight());
        add(dyv, dyOff, g, layout.head2Bias(), outputs);
        Arrays.fill(du, 0, m, 0.0);
        gemvTransposedAdd(p, layout.head2Weight(), outputs, m, dyv, dyOff, du, 0);
        for (int i = 0; i < m; i++) {
            if (u[uOff + i] <= 0.0) {
                du[i] = 0.0;
            }
        }
        outerAdd(du, 0, m, hTop, hOff, h, g, layout.headWeight());
        add(du, 0, g, layout.headBias(), m);
        gemvTransposedAdd(p, layout.headWeight(), m, h, du, 0, dh, dhOff);
    }

    // ---- the original kernels ----------------------------------------------------------------

    static void gemv(double[] w, int wOff, int rows, int cols, double[] x, int xOff, double[] b, int bOff,
                     double[] y, int yOff) {
        for (int i = 0; i < rows; i++) {
            y[yOff + i] = b[bOff + i] + dot(w, wOff + i * cols, x, xOff, cols);
        }
    }

    static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[aOff + j] * b[bOff + j];
            s1 += a[aOff + j + 1] * b[bOff + j + 1];
            s2 += a[aOff + j + 2] * b[bOff + j + 2];
            s3 += a[aOff + j + 3] * b[bOff + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[aOff + j] * b[bOff + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static void gemvTransposedAdd(double[] w, int wOff, int rows, int cols, double[] dy, int dyOff,
                                  double[] dx, int dxOff) {
        for (int i = 0; i < rows; i++) {
            double d = dy[dyOff + i];
            if (d != 0.0) {
                axpy(d, w, wOff + i * cols, dx, dxOff, cols);
            }
        }
    }

    static void outerAdd(double[] dy, int dyOff, int rows, double[] x, int xOff, int cols, double[] g, int gOff) {
        for (int i = 0; i < rows; i++) {
            double d = dy[dyOff + i];
            if (d != 0.0) {
                axpy(d, x, xOff, g, gOff + i * cols, cols);
            }
        }
    }

    static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }

    static void add(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += x[xOff + j];
        }
    }

    static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }
}
