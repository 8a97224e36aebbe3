package io.streamgru.model.online;

import java.util.SplittableRandom;

/** The generated series the learning tests (and benchmarks) use; every one from an explicit seed. */
final class SyntheticSeries {

    private SyntheticSeries() {
    }

    /** x_t = sin(ω t), univariate: the target is the series itself. */
    static SeriesDataset sine(double omega, int n) {
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = Math.sin(omega * t);
        }
        return SeriesDataset.single(0, new double[0], y);
    }

    /**
     * The saturating integrator: u_t piecewise constant, uniform in [0,1], redrawn with
     * probability 0.1 per step; y_t = clip(y_{t−1} + 0.1 (u_t − 0.5), 0, 1). Input u, target y.
     */
    static SeriesDataset integrator(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] u = new double[n];
        double[] y = new double[n];
        double ut = random.nextDouble();
        double yt = 0.5;
        for (int t = 0; t < n; t++) {
            if (random.nextDouble() < 0.1) {
                ut = random.nextDouble();
            }
            yt = Math.min(1.0, Math.max(0.0, yt + 0.1 * (ut - 0.5)));
            u[t] = ut;
            y[t] = yt;
        }
        return SeriesDataset.single(1, u, y);
    }

    /**
     * Eight seasonal inputs with different periods and noise; the target is a weighted sum of
     * some of them at lags 0..5 (so the model needs memory), plus noise.
     */
    static SeriesDataset laggedRegression(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int f = 8;
        double[] periods = {24, 168, 12, 50, 7, 100, 30, 365};
        int[] lags = {0, 1, 2, 3, 5, 0, 4, 1};
        double[] weights = {0.8, -0.5, 0.6, 0.4, -0.7, 0.3, 0.5, -0.2};
        double[] x = new double[n * f];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < f; j++) {
                x[t * f + j] = Math.sin(2 * Math.PI * t / periods[j] + j) + 0.1 * gaussian(random);
            }
        }
        for (int t = 0; t < n; t++) {
            double s = 0;
            for (int j = 0; j < f; j++) {
                int src = Math.max(0, t - lags[j]);
                s += weights[j] * x[src * f + j];
            }
            y[t] = s + 0.05 * gaussian(random);
        }
        return SeriesDataset.single(f, x, y);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
