package io.streamgru.bench.baseline;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.HeadType;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.loss.Loss;
import java.util.Arrays;

/**
 * model-core's GRU as it was before performance tuning (commit 970a2a1: one dot product per row,
 * per-step outer products into the flat gradient, flat caches with offsets, two-branch σ over
 * {@code Math.exp}, {@code Math.tanh}), kept in the benchmark module so that "before" and "after"
 * run from one jar, side by side. Linear head only (the benchmarks use one). Forward step and
 * truncated BPTT allocate nothing after construction, as the original did.
 */
public final class BaselineGru {

    private final GruConfig config;
    private final ParameterLayout layout;
    private final double[] p;
    private final int h;
    private final int layers;
    private final int outputs;
    private final int maxSteps;

    // Forward-step scratch.
    private final double[] gi;
    private final double[] gh;
    private final double[] r1;
    private final double[] z1;
    private final double[] n1;
    private final double[] ghn1;

    // Truncated BPTT caches [(t * layers + l) * h + i], as the original TruncatedBptt.
    private final double[] hs;
    private final double[] r;
    private final double[] z;
    private final double[] n;
    private final double[] ghn;
    private final double[] y;
    private final double[] dy;
    private final double[] dhCarry;
    private final double[] dhPrev;

    public BaselineGru(GruConfig config, double[] parameters, int maxSteps) {
        if (config.head() != HeadType.LINEAR) {
            throw new IllegalArgumentException("the baseline supports the linear head only");
        }
        this.config = config;
        this.layout = new ParameterLayout(config);
        this.p = parameters;
        this.h = config.hiddenSize();
        this.layers = config.layers();
        this.outputs = config.outputs();
        this.maxSteps = maxSteps;
        gi = new double[3 * h];
        gh = new double[3 * h];
        r1 = new double[h];
        z1 = new double[h];
        n1 = new double[h];
        ghn1 = new double[h];
        int states = maxSteps * layers * h;
        hs = new double[states];
        r = new double[states];
        z = new double[states];
        n = new double[states];
        ghn = new double[states];
        y = new double[maxSteps * outputs];
        dy = new double[maxSteps * outputs];
        dhCarry = new double[layers * h];
        dhPrev = new double[h];
    }

    /** The original {@code GruModel.step}. */
    public void step(double[] state, double[] x, double[] out) {
        for (int l = 0; l < layers; l++) {
            double[] input = l == 0 ? x : state;
            int inputOff = l == 0 ? 0 : (l - 1) * h;
            forward(l, input, inputOff, state, l * h, r1, z1, n1, ghn1, 0, state, l * h);
        }
        gemv(p, layout.headWeight(), outputs, h, state, (layers - 1) * h, p, layout.headBias(), out, 0);
    }

    /** The original {@code TruncatedBptt.run} (linear head). */
    public double run(double[] startState, double[] inputs, double[] targets, boolean[] labelled, int steps,
                      Loss loss, double[] gradient, double[] endState) {
        if (steps < 1 || steps > maxSteps) {
            throw new IllegalArgumentException("steps must be in [1, " + maxSteps + "], got " + steps);
        }
        int inSize = config.inputSize();
        int tw = loss.targetWidth(outputs);
        int stride = layers * h;
        double lossSum = 0;
        for (int t = 0; t < steps; t++) {
            int base = t * stride;
            for (int l = 0; l < layers; l++) {
                double[] input = l == 0 ? inputs : hs;
                int inputOff = l == 0 ? t * inSize : base + (l - 1) * h;
                double[] prev = t == 0 ? startState : hs;
                int prevOff = t == 0 ? l * h : base - stride + l * h;
                int off = base + l * h;
                forward(l, input, inputOff, prev, prevOff, r, z, n, ghn, off, hs, off);
            }
            gemv(p, layout.headWeight(), outputs, h, hs, base + (layers - 1) * h, p, layout.headBias(), y, t * outputs);
            if (labelled[t]) {
                lossSum += loss.evaluate(y, t * outputs, outputs, targets, t * tw, dy, t * outputs);
            }
        }
        Arrays.fill(dhCarry, 0.0);
        for (int t = steps - 1; t >= 0; t--) {
            int base = t * stride;
            if (labelled[t]) {
                int hTop = base + (layers - 1) * h;
                outerAdd(dy, t * outputs, outputs, hs, hTop, h, gradient, layout.headWeight());
                add(dy, t * outputs, gradient, layout.headBias(), outputs);
                gemvTransposedAdd(p, layout.headWeight(), outputs, h, dy, t * outputs, dhCarry, (layers - 1) * h);
            }
            for (int l = layers - 1; l >= 0; l--) {
                double[] input = l == 0 ? inputs : hs;
                int inputOff = l == 0 ? t * inSize : base + (l - 1) * h;
                double[] prev = t == 0 ? startState : hs;
                int prevOff = t == 0 ? l * h : base - stride + l * h;
                int off = base + l * h;
                backward(l, input, inputOff, prev, prevOff, off, dhCarry, l * h, gradient,
                        l == 0 ? null : dhCarry, (l - 1) * h, dhPrev, 0);
                System.arraycopy(dhPrev, 0, dhCarry, l * h, h);
            }
        }
        System.arraycopy(hs, (steps - 1) * stride, endState, 0, stride);
        return lossSum;
    }

    private void forward(int layer, double[] x, int xOff, double[] hPrev, int hOff,
                         double[] rc, double[] zc, double[] nc, double[] ghnc, int gOff, double[] hOut, int hOutOff) {
        int in = config.layerInputSize(layer);
        gemv(p, layout.weightIh(layer), 3 * h, in, x, xOff, p, layout.biasIh(layer), gi, 0);
        gemv(p, layout.weightHh(layer), 3 * h, h, hPrev, hOff, p, layout.biasHh(layer), gh, 0);
        for (int i = 0; i < h; i++) {
            double ri = sigmoid(gi[i] + gh[i]);
            double zi = sigmoid(gi[h + i] + gh[h + i]);
            double hn = gh[2 * h + i];
            double ni = Math.tanh(gi[2 * h + i] + ri * hn);
            rc[gOff + i] = ri;
            zc[gOff + i] = zi;
            nc[gOff + i] = ni;
            ghnc[gOff + i] = hn;
            hOut[hOutOff + i] = (1.0 - zi) * ni + zi * hPrev[hOff + i];
        }
    }

    private void backward(int layer, double[] x, int xOff, double[] hPrev, int hOff, int gOff,
                          double[] dh, int dhOff, double[] g, double[] dx, int dxOff, double[] dhp, int dhpOff) {
        int in = config.layerInputSize(layer);
        double[] dgi = gi;
        double[] dgh = gh;
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
            dhp[dhpOff + i] = d * zi;
        }
        int h3 = 3 * h;
        outerAdd(dgi, 0, h3, x, xOff, in, g, layout.weightIh(layer));
        outerAdd(dgh, 0, h3, hPrev, hOff, h, g, layout.weightHh(layer));
        add(dgi, 0, g, layout.biasIh(layer), h3);
        add(dgh, 0, g, layout.biasHh(layer), h3);
        gemvTransposedAdd(p, layout.weightHh(layer), h3, h, dgh, 0, dhp, dhpOff);
        if (dx != null) {
            gemvTransposedAdd(p, layout.weightIh(layer), h3, in, dgi, 0, dx, dxOff);
        }
    }

    // ---- the original DenseKernels --------------------------------------------------------------

    static void gemv(double[] w, int wOff, int rows, int cols, double[] x, int xOff, double[] b, int bOff,
                     double[] yv, int yOff) {
        for (int i = 0; i < rows; i++) {
            yv[yOff + i] = b[bOff + i] + dot(w, wOff + i * cols, x, xOff, cols);
        }
    }

    static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[aOff + j] * b[bOff + j];
            s1 += a[aOff + j + 1] * b[bOff + j + 1];
            s2 += a[aOff + j + 2] * b[bOff + j + 2];
            s3 += a[aOff + j + 3] * b[bOff + j + 3];
        }
        for (; j < len; j++) {
            s0 += a[aOff + j] * b[bOff + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static void gemvTransposedAdd(double[] w, int wOff, int rows, int cols, double[] dyv, int dyOff,
                                  double[] dx, int dxOff) {
        for (int i = 0; i < rows; i++) {
            double d = dyv[dyOff + i];
            if (d != 0.0) {
                axpy(d, w, wOff + i * cols, dx, dxOff, cols);
            }
        }
    }

    static void outerAdd(double[] dyv, int dyOff, int rows, double[] x, int xOff, int cols, double[] g, int gOff) {
        for (int i = 0; i < rows; i++) {
            double d = dyv[dyOff + i];
            if (d != 0.0) {
                axpy(d, x, xOff, g, gOff + i * cols, cols);
            }
        }
    }

    static void axpy(double a, double[] x, int xOff, double[] yv, int yOff, int len) {
        for (int j = 0; j < len; j++) {
            yv[yOff + j] += a * x[xOff + j];
        }
    }

    static void add(double[] x, int xOff, double[] yv, int yOff, int len) {
        for (int j = 0; j < len; j++) {
            yv[yOff + j] += x[xOff + j];
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
