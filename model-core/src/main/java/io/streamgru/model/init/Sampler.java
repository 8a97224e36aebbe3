package io.streamgru.model.init;

import java.util.SplittableRandom;

/**
 * Uniform and Gaussian draws from one seeded {@link SplittableRandom}. Gaussians come from
 * Box–Muller with {@link StrictMath}, not {@code RandomGenerator.nextGaussian()}, so the same seed
 * gives the same bits on every JDK and platform.
 */
final class Sampler {

    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    Sampler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Fills {@code dst[offset .. offset+n)} from U(−bound, bound). */
    void uniform(double[] dst, int offset, int n, double bound) {
        for (int i = 0; i < n; i++) {
            dst[offset + i] = bound * (2.0 * random.nextDouble() - 1.0);
        }
    }

    /** One draw from the standard normal distribution. */
    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: keeps log finite
        double u2 = random.nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double theta = 2.0 * StrictMath.PI * u2;
        spareGaussian = r * StrictMath.sin(theta);
        hasSpare = true;
        return r * StrictMath.cos(theta);
    }
}
