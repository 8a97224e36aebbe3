package io.streamgru.bench;

import java.util.SplittableRandom;

/**
 * A fixed, pre-generated multivariate series, so a benchmark's hot loop only reads arrays:
 * {@code inputs} features per record (sines of different periods plus noise) and one target per
 * record (the next record's first feature, i.e. a one-step-ahead forecast). The same recipe is in
 * {@code bench/pytorch_online.py}.
 */
final class SyntheticSeries {

    final int records;
    final int inputs;
    /** {@code records × inputs}, row after row. */
    final double[] x;
    /** {@code records} targets. */
    final double[] y;

    SyntheticSeries(int records, int inputs, long seed) {
        this.records = records;
        this.inputs = inputs;
        SplittableRandom random = new SplittableRandom(seed);
        double[] raw = new double[(records + 1) * inputs];
        for (int t = 0; t <= records; t++) {
            for (int j = 0; j < inputs; j++) {
                double period = 8.0 + 5.0 * j;
                raw[t * inputs + j] = Math.sin(2 * Math.PI * t / period + j) + 0.1 * (random.nextDouble() * 2 - 1);
            }
        }
        x = java.util.Arrays.copyOf(raw, records * inputs);
        y = new double[records];
        for (int t = 0; t < records; t++) {
            y[t] = raw[(t + 1) * inputs];
        }
    }

    /** Parameters drawn like PyTorch's default init: U(−1/√H, 1/√H) for every tensor. */
    static double[] initialParameters(int size, int hidden, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(hidden);
        double[] p = new double[size];
        for (int i = 0; i < size; i++) {
            p[i] = (random.nextDouble() * 2 - 1) * bound;
        }
        return p;
    }
}
