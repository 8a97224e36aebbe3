package io.streamgru.model.gru;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Analytic gradients of truncated BPTT equal central differences (double precision) for every
 * parameter tensor (with and without the linear path beside the GRU) and for the chunk's start state.
 */
class TruncatedBpttGradientCheckTest {

    private static final double EPS = 1e-5;
    private static final double MAX_RELATIVE_ERROR = 1e-6;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int layers : new int[] {1, 2}) {
            for (HeadType head : HeadType.values()) {
                for (String loss : new String[] {"mse", "l1", "huber", "cross-entropy"}) {
                    for (boolean manyToOne : new boolean[] {false, true}) {
                        cases.add(Arguments.of(layers, head, loss, manyToOne, 0));
                    }
                    cases.add(Arguments.of(layers, head, loss, false, 5));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} layer(s), {1} head, {2}, many-to-one={3}, linear inputs {4}")
    @MethodSource("cases")
    void analyticGradientMatchesCentralDifferences(int layers, HeadType headType, String lossName, boolean manyToOne,
                                                   int linearInputs) {
        int outputs = lossName.equals("cross-entropy") ? 3 : 2;
        GruConfig config = new GruConfig(3, 4, layers, outputs, headType, 5, linearInputs);
        Loss loss = Loss.named(lossName, 0.3);
        Random random = new Random(42 + layers * 7 + headType.ordinal() * 3 + lossName.hashCode() + (manyToOne ? 1 : 0));
        int steps = 6;

        double[] params = uniform(random, new ParameterLayout(config).size(), 0.6);
        double[] start = uniform(random, config.stateSize(), 0.8);
        double[] inputs = uniform(random, steps * config.inputSize(), 1.5);
        double[] linear = linearInputs == 0 ? null : uniform(random, steps * linearInputs, 1.5);
        int tw = loss.targetWidth(outputs);
        double[] targets = new double[steps * tw];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = tw == 1 ? random.nextInt(outputs) : random.nextGaussian();
        }
        boolean[] labelled = new boolean[steps];
        for (int t = 0; t < steps; t++) {
            labelled[t] = !manyToOne || t == steps - 1;
        }

        GruModel model = new GruModel(config, params);
        TruncatedBptt bptt = new TruncatedBptt(config, steps);
        double[] grad = new double[params.length];
        bptt.run(model, start, inputs, linear, targets, labelled, steps, loss, grad, new double[config.stateSize()]);
        double[] startGrad = bptt.startStateGradient().clone();

        ChunkLoss f = () -> new TruncatedBptt(config, steps).run(model, start, inputs, linear, targets, labelled, steps,
                loss, new double[params.length], new double[config.stateSize()]);
        assertThat(model.layout().has(ParameterLayout.LINEAR_WEIGHT)).isEqualTo(linearInputs > 0);
        for (TensorView tensor : model.layout().tensors()) {
            double[] numeric = new double[tensor.size()];
            for (int i = 0; i < numeric.length; i++) {
                numeric[i] = centralDifference(params, tensor.offset() + i, f);
            }
            double[] analytic = java.util.Arrays.copyOfRange(grad, tensor.offset(), tensor.offset() + tensor.size());
            assertThat(relativeError(analytic, numeric)).as(tensor.name()).isLessThanOrEqualTo(MAX_RELATIVE_ERROR);
        }
        double[] numericStart = new double[start.length];
        for (int i = 0; i < start.length; i++) {
            numericStart[i] = centralDifference(start, i, f);
        }
        assertThat(relativeError(startGrad, numericStart)).as("start state").isLessThanOrEqualTo(MAX_RELATIVE_ERROR);
    }

    @FunctionalInterface
    private interface ChunkLoss {
        double value();
    }

    private static double centralDifference(double[] values, int i, ChunkLoss f) {
        double saved = values[i];
        values[i] = saved + EPS;
        double plus = f.value();
        values[i] = saved - EPS;
        double minus = f.value();
        values[i] = saved;
        return (plus - minus) / (2 * EPS);
    }

    /** ‖a − n‖ / max(‖a‖ + ‖n‖, 1e-12): scale-free, and defined when a tensor's gradient is zero. */
    static double relativeError(double[] analytic, double[] numeric) {
        double diff = 0;
        double na = 0;
        double nn = 0;
        for (int i = 0; i < analytic.length; i++) {
            double d = analytic[i] - numeric[i];
            diff += d * d;
            na += analytic[i] * analytic[i];
            nn += numeric[i] * numeric[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(na) + Math.sqrt(nn), 1e-12);
    }

    static double[] uniform(Random random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }
}
