package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Adam and AdamW give the bits of their documented formula, written out with plain divisions. */
class AdamTest {

    private static final int SIZE = 2_000;
    private static final int STEPS = 300;

    @Test
    void adamStepsWithTheBitsOfTorchsFormula() {
        double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 1e-2, lr = 3e-3;
        Adam adam = new Adam(SIZE, beta1, beta2, eps, decay);
        SplittableRandom random = new SplittableRandom(5);
        double[] params = random.doubles(SIZE, -1, 1).toArray();
        double[] expected = params.clone();
        double[] m = new double[SIZE];
        double[] v = new double[SIZE];
        for (int t = 1; t <= STEPS; t++) {
            double[] grads = gradients(random, t);
            adam.step(params, grads, lr);
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < SIZE; i++) {
                double g = grads[i] + decay * expected[i];
                m[i] = m[i] * beta1 + (1 - beta1) * g;
                v[i] = v[i] * beta2 + (1 - beta2) * g * g;
                expected[i] = expected[i] + -(lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
            }
            assertSameBits(params, expected, t);
        }
    }

    @Test
    void adamWStepsWithTheBitsOfTorchsFormula() {
        double beta1 = 0.8, beta2 = 0.99, eps = 1e-6, decay = 1e-2, lr = 1e-3;
        AdamW adamW = new AdamW(SIZE, beta1, beta2, eps, decay);
        SplittableRandom random = new SplittableRandom(6);
        double[] params = random.doubles(SIZE, -1, 1).toArray();
        double[] expected = params.clone();
        double[] m = new double[SIZE];
        double[] v = new double[SIZE];
        for (int t = 1; t <= STEPS; t++) {
            double[] grads = gradients(random, t);
            adamW.step(params, grads, lr);
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < SIZE; i++) {
                double p = expected[i] * (1 - lr * decay);
                m[i] = m[i] * beta1 + (1 - beta1) * grads[i];
                v[i] = v[i] * beta2 + (1 - beta2) * grads[i] * grads[i];
                expected[i] = p + -(lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
            }
            assertSameBits(params, expected, t);
        }
    }

    /** Gradients over many magnitudes, zeros and huge values included, so v spans its range. */
    private static double[] gradients(SplittableRandom random, int t) {
        double[] g = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            g[i] = switch (i % 5) {
                case 0 -> 0.0;
                case 1 -> random.nextGaussian() * Math.pow(10, -random.nextInt(0, 150));
                case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(0, 150));
                default -> random.nextGaussian() / t;
            };
        }
        return g;
    }

    private static void assertSameBits(double[] actual, double[] expected, int step) {
        for (int i = 0; i < actual.length; i++) {
            assertThat(Double.doubleToLongBits(actual[i])).as("parameter %d after step %d", i, step)
                    .isEqualTo(Double.doubleToLongBits(expected[i]));
        }
    }
}
