package io.streamgru.model.gru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.model.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The performance kernels (four-row gemv, AXPY products on prepared column/row copies, per-chunk
 * gradient sums, array-wise gates) compute exactly what the straightforward formulation
 * ({@link ReferenceGru}) computes: bit for bit with the same scalar activations, and within 1e-12
 * of the original {@code Math.exp}/{@code Math.tanh} version.
 */
class OptimizedKernelsAgreementTest {

    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        // Input and hidden sizes below, at and off multiples of 4 (the kernels' blocking).
        // {40, 13}: a first layer wide enough (in >= 32) that W_ih's gradient is summed as rows, in place.
        int[][] sizes = {{3, 4}, {8, 5}, {1, 7}, {8, 16}, {6, 13}, {20, 37}, {40, 13}};
        for (int[] s : sizes) {
            for (int layers : new int[] {1, 2, 3}) {
                for (HeadType head : HeadType.values()) {
                    cases.add(Arguments.of(s[0], s[1], layers, head));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "I={0} H={1} layers={2} head={3}")
    @MethodSource("shapes")
    void truncatedBpttIsBitIdenticalToTheReference(int in, int hidden, int layers, HeadType headType) {
        GruConfig config = new GruConfig(in, hidden, layers, 2, headType, 5);
        Random random = new Random(31L * in + 7L * hidden + layers + headType.ordinal());
        int size = new ParameterLayout(config).size();
        double[] params = uniform(random, size, 0.7);
        GruModel model = new GruModel(config, params);
        TruncatedBptt bptt = new TruncatedBptt(config, 9);
        ReferenceGru reference = ReferenceGru.withKernelActivations(config);
        ReferenceGru original = ReferenceGru.original(config);

        for (String lossName : new String[] {"mse", "huber", "l1"}) {
            Loss loss = Loss.named(lossName, 0.4);
            for (int steps : new int[] {1, 6, 9}) {
                double[] start = uniform(random, config.stateSize(), 0.9);
                double[] inputs = uniform(random, steps * in, 2.0);
                double[] targets = uniform(random, steps * 2, 1.5);
                boolean[] labelled = new boolean[steps];
                for (int t = 0; t < steps; t++) {
                    labelled[t] = random.nextInt(3) != 0;
                }
                // Steps after the last label get exactly zero deltas (the kernels' skip paths).
                labelled[steps / 2] = true;
                // A gradient that already holds earlier chunks' sums, and an exact zero input.
                double[] initialGradient = uniform(random, size, 0.3);
                inputs[0] = 0.0;

                double[] gradient = initialGradient.clone();
                double[] end = new double[config.stateSize()];
                double lossSum = bptt.run(model, start, inputs, targets, labelled, steps, loss, gradient, end);

                double[] refGradient = initialGradient.clone();
                double[] refStartGrad = new double[config.stateSize()];
                double[] refEnd = new double[config.stateSize()];
                double[] refY = new double[steps * 2];
                double refLoss = reference.run(params, start, inputs, targets, labelled, steps, loss, refGradient,
                        refStartGrad, refEnd, refY);

                String what = lossName + ", " + steps + " steps";
                assertThat(lossSum).as("loss, " + what).isEqualTo(refLoss);
                assertThat(bits(gradient)).as("gradient, " + what).containsExactly(bits(refGradient));
                assertThat(bits(bptt.startStateGradient())).as("start-state gradient, " + what)
                        .containsExactly(bits(refStartGrad));
                assertThat(bits(end)).as("end state, " + what).containsExactly(bits(refEnd));
                assertThat(bits(java.util.Arrays.copyOf(bptt.outputs(), steps * 2))).as("outputs, " + what)
                        .containsExactly(bits(refY));

                double[] origGradient = initialGradient.clone();
                double origLoss = original.run(params, start, inputs, targets, labelled, steps, loss, origGradient,
                        new double[config.stateSize()], new double[config.stateSize()], new double[steps * 2]);
                assertThat(Math.abs(lossSum - origLoss)).as("loss vs Math.tanh, " + what)
                        .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(origLoss)));
                assertThat(maxAbsDiff(gradient, origGradient)).as("gradient vs Math.tanh, " + what)
                        .isLessThanOrEqualTo(1e-12);
            }
        }
    }

    @ParameterizedTest(name = "I={0} H={1} layers={2} head={3}")
    @MethodSource("shapes")
    void aRunOnACurrentPreparedModelIsBitIdenticalToTheReference(int in, int hidden, int layers, HeadType headType) {
        GruConfig config = new GruConfig(in, hidden, layers, 2, headType, 5);
        Random random = new Random(29L * in + 11L * hidden + layers + headType.ordinal());
        int size = new ParameterLayout(config).size();
        double[] params = uniform(random, size, 0.7);
        GruModel model = new GruModel(config, params);
        PreparedModel prepared = new PreparedModel(model);
        TruncatedBptt bptt = new TruncatedBptt(config, 9);
        // Without the start state's gradient (the learners' instance): everything else the same bits.
        TruncatedBptt detached = new TruncatedBptt(config, 9, false);
        ReferenceGru reference = ReferenceGru.withKernelActivations(config);
        Loss loss = Loss.named("huber", 0.4);
        for (int round = 0; round < 3; round++) {
            // The owner changes the parameters in place and refreshes, as after an optimizer step.
            for (int i = 0; i < size; i++) {
                params[i] += 0.01 * (random.nextDouble() - 0.5);
            }
            prepared.refresh();
            int steps = 9 - round * 4;
            double[] start = uniform(random, config.stateSize(), 0.9);
            double[] inputs = uniform(random, steps * in, 2.0);
            double[] targets = uniform(random, steps * 2, 1.5);
            boolean[] labelled = new boolean[steps];
            for (int t = 0; t < steps; t++) {
                labelled[t] = random.nextInt(3) != 0;
            }
            labelled[steps / 2] = true;
            double[] initialGradient = uniform(random, size, 0.3);

            double[] gradient = initialGradient.clone();
            double[] end = new double[config.stateSize()];
            double lossSum = bptt.run(prepared, start, inputs, null, targets, labelled, steps, loss, gradient, end);

            double[] refGradient = initialGradient.clone();
            double[] refStartGrad = new double[config.stateSize()];
            double[] refEnd = new double[config.stateSize()];
            double[] refY = new double[steps * 2];
            double refLoss = reference.run(params, start, inputs, targets, labelled, steps, loss, refGradient,
                    refStartGrad, refEnd, refY);

            String what = "round " + round;
            assertThat(lossSum).as("loss, " + what).isEqualTo(refLoss);
            assertThat(bits(gradient)).as("gradient, " + what).containsExactly(bits(refGradient));
            assertThat(bits(bptt.startStateGradient())).as("start-state gradient, " + what)
                    .containsExactly(bits(refStartGrad));
            assertThat(bits(end)).as("end state, " + what).containsExactly(bits(refEnd));
            assertThat(bits(java.util.Arrays.copyOf(bptt.outputs(), steps * 2))).as("outputs, " + what)
                    .containsExactly(bits(refY));

            double[] detachedGradient = initialGradient.clone();
            double[] detachedEnd = new double[config.stateSize()];
            double detachedLoss = detached.run(prepared, start, inputs, null, targets, labelled, steps, loss,
                    detachedGradient, detachedEnd);
            assertThat(detachedLoss).as("loss without the start gradient, " + what).isEqualTo(refLoss);
            assertThat(bits(detachedGradient)).as("gradient without the start gradient, " + what)
                    .containsExactly(bits(refGradient));
            assertThat(bits(detachedEnd)).as("end state without the start gradient, " + what)
                    .containsExactly(bits(refEnd));
            assertThatThrownBy(detached::startStateGradient).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aRunOnAPreparedModelTrainsItsSnapshotUntilRefreshed() {
        GruConfig config = GruConfig.linear(4, 8, 2, 1);
        Random random = new Random(78);
        double[] params = uniform(random, new ParameterLayout(config).size(), 0.7);
        double[] snapshot = params.clone();
        GruModel model = new GruModel(config, params);
        PreparedModel prepared = new PreparedModel(model);
        for (int i = 0; i < params.length; i++) {
            params[i] *= 0.5;
        }
        int steps = 5;
        double[] start = uniform(random, config.stateSize(), 0.9);
        double[] inputs = uniform(random, steps * 4, 2.0);
        double[] targets = uniform(random, steps, 1.5);
        boolean[] labelled = {true, true, true, true, true};
        Loss loss = Loss.named("mse", 1.0);
        TruncatedBptt bptt = new TruncatedBptt(config, steps);

        double[] stale = new double[params.length];
        double staleLoss = bptt.run(prepared, start, inputs, null, targets, labelled, steps, loss, stale,
                new double[config.stateSize()]);
        double[] ofSnapshot = new double[params.length];
        double snapshotLoss = bptt.run(new GruModel(config, snapshot), start, inputs, targets, labelled, steps, loss,
                ofSnapshot, new double[config.stateSize()]);
        assertThat(staleLoss).as("before refresh: the snapshot's loss").isEqualTo(snapshotLoss);
        assertThat(bits(stale)).as("before refresh: the snapshot's gradient").containsExactly(bits(ofSnapshot));

        prepared.refresh();
        double[] current = new double[params.length];
        double currentLoss = bptt.run(prepared, start, inputs, null, targets, labelled, steps, loss, current,
                new double[config.stateSize()]);
        double[] live = new double[params.length];
        double liveLoss = bptt.run(model, start, inputs, targets, labelled, steps, loss, live,
                new double[config.stateSize()]);
        assertThat(currentLoss).as("after refresh: the live model's loss").isEqualTo(liveLoss).isNotEqualTo(staleLoss);
        assertThat(bits(current)).as("after refresh: the live model's gradient").containsExactly(bits(live));
    }

    @ParameterizedTest(name = "I={0} H={1} layers={2} head={3}")
    @MethodSource("shapes")
    void stepIsBitIdenticalToTheReference(int in, int hidden, int layers, HeadType headType) {
        GruConfig config = new GruConfig(in, hidden, layers, 3, headType, 6);
        Random random = new Random(17L * in + hidden + 5L * layers + headType.ordinal());
        double[] params = uniform(random, new ParameterLayout(config).size(), 0.7);
        GruModel model = new GruModel(config, params);
        StepWorkspace ws = model.newWorkspace();
        ReferenceGru reference = ReferenceGru.withKernelActivations(config);
        PreparedModel prepared = new PreparedModel(model);
        double[] state = uniform(random, config.stateSize(), 0.9);
        double[] refState = state.clone();
        double[] preparedState = state.clone();
        double[] out = new double[3];
        double[] refOut = new double[3];
        double[] preparedOut = new double[3];
        for (int t = 0; t < 20; t++) {
            double[] x = uniform(random, in, 2.0);
            model.step(state, x, out, ws);
            reference.step(params, refState, x, refOut);
            prepared.step(preparedState, x, preparedOut, ws);
            assertThat(bits(state)).as("state after step %d", t).containsExactly(bits(refState));
            assertThat(bits(out)).as("outputs after step %d", t).containsExactly(bits(refOut));
            assertThat(bits(preparedState)).as("prepared state after step %d", t).containsExactly(bits(refState));
            assertThat(bits(preparedOut)).as("prepared outputs after step %d", t).containsExactly(bits(refOut));
        }
    }

    @Test
    void aPreparedModelIsASnapshotUntilRefreshed() {
        GruConfig config = GruConfig.linear(4, 8, 2, 1);
        Random random = new Random(77);
        double[] params = uniform(random, new ParameterLayout(config).size(), 0.7);
        GruModel model = new GruModel(config, params);
        PreparedModel prepared = new PreparedModel(model);
        StepWorkspace ws = model.newWorkspace();
        double[] x = uniform(random, 4, 1.0);
        double[] before = run(prepared, x, ws);
        assertThat(prepared.version()).isEqualTo(1);

        for (int i = 0; i < params.length; i++) {
            params[i] *= 0.5;
        }
        assertThat(bits(run(prepared, x, ws))).as("unchanged until refresh").containsExactly(bits(before));

        prepared.refresh();
        assertThat(prepared.version()).isEqualTo(2);
        double[] live = model.newState();
        double[] liveOut = new double[1];
        model.step(live, x, liveOut, ws);
        assertThat(bits(run(prepared, x, ws))).as("after refresh: the live model's result")
                .containsExactly(bits(liveOut));
    }

    private static double[] run(PreparedModel prepared, double[] x, StepWorkspace ws) {
        double[] state = prepared.model().newState();
        double[] out = new double[1];
        prepared.step(state, x, out, ws);
        return out;
    }

    @Test
    void gemvFormsAgreeBitForBitWithTheDotProductPerRow() {
        Random random = new Random(3);
        int[] sizes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 20, 33, 40};
        for (int rows : sizes) {
            for (int cols : sizes) {
                double[] w = uniform(random, 5 + rows * cols, 1.0);
                double[] x = uniform(random, 2 + cols, 1.0);
                double[] b = uniform(random, 3 + rows, 1.0);
                x[2] = -0.0;
                double[] ref = new double[rows];
                ReferenceGru.gemv(w, 5, rows, cols, x, 2, b, 3, ref, 0);

                double[] y = new double[rows + 1];
                DenseKernels.gemv(w, 5, rows, cols, x, 2, b, 3, y, 1);
                assertThat(bits(java.util.Arrays.copyOfRange(y, 1, rows + 1))).as("gemv %dx%d", rows, cols)
                        .containsExactly(bits(ref));

                double[][] columns = new double[cols][rows];
                DenseKernels.copyColumns(w, 5, rows, cols, columns);
                double[] bias = java.util.Arrays.copyOfRange(b, 3, 3 + rows);
                double[] yc = new double[rows];
                DenseKernels.gemvColumns(columns, rows, cols, x, 2, bias, yc, new double[rows], new double[rows],
                        new double[rows]);
                assertThat(bits(yc)).as("gemvColumns %dx%d", rows, cols).containsExactly(bits(ref));

                double[] dy = uniform(random, rows, 1.0);
                dy[0] = 0.0;
                dy[rows - 1] = rows > 6 ? 0.0 : dy[rows - 1];
                double[] dxRef = uniform(random, cols, 1.0);
                double[] dx = dxRef.clone();
                ReferenceGru.gemvTransposedAdd(w, 5, rows, cols, dy, 0, dxRef, 0);
                double[][] rowCopies = new double[rows][cols];
                DenseKernels.copyRows(w, 5, rows, cols, rowCopies);
                DenseKernels.gemvTransposedAddRows(rowCopies, rows, cols, dy, dx);
                assertThat(bits(dx)).as("gemvTransposedAddRows %dx%d", rows, cols).containsExactly(bits(dxRef));
            }
        }
    }

    @Test
    void sigmoidIsWithinRoundingOfTheTwoBranchFormula() {
        Random random = new Random(5);
        for (int i = 0; i < 500_000; i++) {
            double v = random.nextGaussian() * (i % 3 == 0 ? 0.01 : i % 3 == 1 ? 3 : 40);
            double ref = ReferenceGru.sigmoid(v);
            assertThat(Math.abs(DenseKernels.sigmoid(v) - ref)).as("sigmoid(%s)", v)
                    .isLessThanOrEqualTo(4 * Math.ulp(ref));
        }
        double[] special = {0.0, -0.0, 1e-300, -1e-300, 40, -40, 710, 800, Double.POSITIVE_INFINITY, Double.MIN_VALUE};
        for (double v : special) {
            assertThat(DenseKernels.sigmoid(v)).as("sigmoid(%s)", v).isEqualTo(ReferenceGru.sigmoid(v));
        }
        // Below e^-700 the exact value underflows differently; both are below 1e-300.
        assertThat(DenseKernels.sigmoid(-800)).isLessThan(1e-300);
        assertThat(DenseKernels.sigmoid(Double.NEGATIVE_INFINITY)).isLessThan(1e-300);
        assertThat(DenseKernels.sigmoid(Double.NaN)).isNaN();
    }

    @Test
    void tanhIsWithinRoundingOfStrictMath() {
        Random random = new Random(9);
        for (int i = 0; i < 500_000; i++) {
            double v = random.nextGaussian() * (i % 4 == 0 ? 1e-6 : i % 4 == 1 ? 0.01 : i % 4 == 2 ? 1 : 8);
            double ref = StrictMath.tanh(v);
            assertThat(Math.abs(DenseKernels.tanh(v) - ref)).as("tanh(%s)", v).isLessThanOrEqualTo(4 * Math.ulp(ref));
        }
        double[] special = {0.0, 1e-300, -1e-300, 20, -20, 22, -22, 30, -30, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (double v : special) {
            assertThat(DenseKernels.tanh(v)).as("tanh(%s)", v).isEqualTo(StrictMath.tanh(v));
        }
        assertThat(DenseKernels.tanh(Double.NaN)).isNaN();
    }

    @Test
    void gatesAreTheScalarFormulasElementForElement() {
        Random random = new Random(13);
        for (int h : new int[] {1, 3, 8, 13, 64}) {
            double[] gi = uniform(random, 3 * h, 6.0);
            double[] gh = uniform(random, 3 * h, 6.0);
            gi[0] = 900;
            gh[h] = Double.NEGATIVE_INFINITY;
            double[] hPrev = uniform(random, h, 1.0);
            double[] r = new double[h];
            double[] z = new double[h];
            double[] n = new double[h];
            double[] ghn = new double[h];
            double[] hOut = new double[h];
            DenseKernels.gates(gi, gh, hPrev, h, r, z, n, ghn, hOut, new double[2 * h], new double[2 * h]);
            for (int i = 0; i < h; i++) {
                double ri = DenseKernels.sigmoid(gi[i] + gh[i]);
                double zi = DenseKernels.sigmoid(gi[h + i] + gh[h + i]);
                double ni = DenseKernels.tanh(gi[2 * h + i] + ri * gh[2 * h + i]);
                assertThat(r[i]).isEqualTo(ri);
                assertThat(z[i]).isEqualTo(zi);
                assertThat(n[i]).isEqualTo(ni);
                assertThat(ghn[i]).isEqualTo(gh[2 * h + i]);
                assertThat(hOut[i]).isEqualTo((1.0 - zi) * ni + zi * hPrev[i]);
            }
        }
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] uniform(Random random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }
}
