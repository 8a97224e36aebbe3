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
        assertStepsLike(new Adam(SIZE, beta1, beta2, eps, decay), lr, 5, (t, grads, p, m, v) -> {
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < SIZE; i++) {
                double g = grads[i] + decay * p[i];
                m[i] = m[i] * beta1 + (1 - beta1) * g;
                v[i] = v[i] * beta2 + (1 - beta2) * g * g;
                p[i] = p[i] + -(lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
            }
        });
    }

    @Test
    void adamWStepsWithTheBitsOfTorchsFormula() {
        double beta1 = 0.8, beta2 = 0.99, eps = 1e-6, decay = 1e-2, lr = 1e-3;
        assertStepsLike(new AdamW(SIZE, beta1, beta2, eps, decay), lr, 6, (t, grads, p, m, v) -> {
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < SIZE; i++) {
                double decayed = p[i] * (1 - lr * decay);
                m[i] = m[i] * beta1 + (1 - beta1) * grads[i];
                v[i] = v[i] * beta2 + (1 - beta2) * grads[i] * grads[i];
                p[i] = decayed + -(lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
            }
        });
    }

    /** One step of the formula on parameters {@code p} and moments {@code m}, {@code v}, in place. */
    private interface Formula {
        void step(int t, double[] grads, double[] p, double[] m, double[] v);
    }

    /** {@link #STEPS} steps of {@code optimizer} and of {@code formula} from the same start: the same bits after each. */
    private static void assertStepsLike(Optimizer optimizer, double lr, long seed, Formula formula) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] params = random.doubles(SIZE, -1, 1).toArray();
        double[] expected = params.clone();
        double[] m = new double[SIZE];
        double[] v = new double[SIZE];
        for (int t = 1; t <= STEPS; t++) {
            double[] grads = gradients(random, t);
            optimizer.step(params, grads, lr);
            formula.step(t, grads, expected, m, v);
            for (int i = 0; i < SIZE; i++) {
                assertThat(Double.doubleToLongBits(params[i])).as("parameter %d after step %d", i, t)
                        .isEqualTo(Double.doubleToLongBits(expected[i]));
            }
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
}
