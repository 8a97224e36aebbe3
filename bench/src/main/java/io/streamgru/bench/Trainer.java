package io.streamgru.bench;

import io.streamgru.model.gru.GruModel;

/**
 * Gradient accumulation and the optimizer step, W samples per step. STAND-IN until the
 * {@code io.streamgru.model.optim} package lands (branch {@code optim}): same update as
 * torch.optim.Adam with default hyper-parameters, lr 1e-3.
 */
final class Trainer {

    private final GruModel model;
    private final int window;
    private final double[] gradient;
    private final double[] scratch;
    private final double[] m;
    private final double[] v;
    private int samples;
    private long steps;

    Trainer(GruModel model, int window) {
        this.model = model;
        this.window = window;
        int n = model.parameters().length;
        gradient = new double[n];
        scratch = new double[n];
        m = new double[n];
        v = new double[n];
    }

    double[] chunkGradient() {
        return gradient;
    }

    double[] scratchGradient() {
        return scratch;
    }

    void commitChunk(double lossSum, int chunkSamples) {
        samples += chunkSamples;
        if (samples >= window) {
            forceStep();
        }
    }

    void forceStep() {
        double[] p = model.parameters();
        int n = p.length;
        double scale = samples == 0 ? 1.0 : 1.0 / samples;
        steps++;
        double bc1 = 1 - Math.pow(0.9, steps);
        double bc2 = 1 - Math.pow(0.999, steps);
        double negStep = -(1e-3 / bc1);
        double bc2Sqrt = Math.sqrt(bc2);
        for (int i = 0; i < n; i++) {
            double g = gradient[i] * scale;
            double mi = m[i] * 0.9 + 0.1 * g;
            double vi = v[i] * 0.999 + (1 - 0.999) * g * g;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] + negStep * mi / (Math.sqrt(vi) / bc2Sqrt + 1e-8);
        }
        java.util.Arrays.fill(gradient, 0.0);
        samples = 0;
    }
}
