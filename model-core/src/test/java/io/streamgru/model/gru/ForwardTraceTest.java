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
import org.junit.jupiter.api.Test;

/**
 * A chunk's training that reuses the forward activations its forecast steps recorded
 * ({@link ForwardTrace}) computes the same bits as one that computes them again, and it reuses them
 * only while they are exactly that forward pass: same prepared parameters at the same version, same
 * start state, same inputs.
 */
class ForwardTraceTest {

    static Stream<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        int[][] sizes = {{3, 4}, {8, 5}, {1, 7}, {8, 16}, {6, 13}, {8, 64}};
        for (int[] s : sizes) {
            for (int layers : new int[] {1, 2}) {
                for (HeadType head : HeadType.values()) {
                    cases.add(Arguments.of(s[0], s[1], layers, head));
                }
            }
        }
        return cases.stream();
    }

    /** Forecast steps, recorded or not, from one start state over one chunk's inputs. */
    private record Chunk(GruConfig config, PreparedModel prepared, double[] start, double[] inputs, double[] targets,
                         boolean[] labelled, int steps) {

        static Chunk random(int in, int hidden, int layers, HeadType head, int steps, long seed) {
            GruConfig config = new GruConfig(in, hidden, layers, 2, head, 5);
            Random random = new Random(seed);
            double[] params = uniform(random, new ParameterLayout(config).size(), 0.7);
            boolean[] labelled = new boolean[steps];
            for (int t = 0; t < steps; t++) {
                labelled[t] = random.nextInt(3) != 0;
            }
            labelled[steps / 2] = true;
            double[] inputs = uniform(random, steps * in, 2.0);
            inputs[0] = 0.0;
            return new Chunk(config, new PreparedModel(new GruModel(config, params)),
                    uniform(random, config.stateSize(), 0.9), inputs, uniform(random, steps * 2, 1.5), labelled, steps);
        }

        /** Runs the forecast steps into {@code trace}; returns their outputs, then the end state. */
        double[] forecast(ForwardTrace trace) {
            StepWorkspace ws = prepared.model().newWorkspace();
            double[] state = start.clone();
            int in = config.inputSize();
            double[] x = new double[in];
            double[] out = new double[2];
            double[] seen = new double[steps * 2 + state.length];
            for (int t = 0; t < steps; t++) {
                System.arraycopy(inputs, t * in, x, 0, in);
                if (trace == null) {
                    prepared.step(state, x, out, ws);
                } else {
                    prepared.step(state, x, out, ws, trace, t);
                }
                System.arraycopy(out, 0, seen, t * 2, 2);
            }
            System.arraycopy(state, 0, seen, steps * 2, state.length);
            return seen;
        }

        /** A chunk's training; what it computed, as raw bits: loss, gradient, start-state gradient, outputs, end state. */
        long[] train(TruncatedBptt bptt, ForwardTrace trace, Loss loss) {
            double[] gradient = new double[prepared.parameters().length];
            java.util.Arrays.fill(gradient, 0.25); // earlier chunks' sums: the new terms continue them in order
            double[] end = new double[config.stateSize()];
            double lossSum = bptt.run(prepared, trace, start, inputs, null, targets, labelled, steps, loss, gradient, end);
            List<Double> all = new ArrayList<>();
            all.add(lossSum);
            for (double[] a : new double[][] {gradient, bptt.startStateGradient(), bptt.outputs(), end}) {
                for (int i = 0; i < (a == bptt.outputs() ? steps * 2 : a.length); i++) {
                    all.add(a[i]);
                }
            }
            return all.stream().mapToLong(Double::doubleToRawLongBits).toArray();
        }
    }

    @ParameterizedTest(name = "I={0} H={1} layers={2} head={3}")
    @MethodSource("shapes")
    void aReusedForwardPassTrainsToTheSameBitsAsARecomputedOne(int in, int hidden, int layers, HeadType head) {
        Chunk chunk = Chunk.random(in, hidden, layers, head, 9, 31L * in + 7L * hidden + layers + head.ordinal());
        ForwardTrace trace = new ForwardTrace(chunk.config(), 9);

        // Recording changes nothing the forecasts compute.
        assertThat(raw(chunk.forecast(trace))).containsExactly(raw(chunk.forecast(null)));
        assertThat(trace.steps()).isEqualTo(9);

        for (String lossName : new String[] {"mse", "huber", "l1"}) {
            Loss loss = Loss.named(lossName, 0.4);
            TruncatedBptt reusing = new TruncatedBptt(chunk.config(), 9);
            TruncatedBptt recomputing = new TruncatedBptt(chunk.config(), 9);
            long[] reused = chunk.train(reusing, trace, loss);
            assertThat(reusing.reusedForward()).as(lossName).isTrue();
            long[] recomputed = chunk.train(recomputing, null, loss);
            assertThat(recomputing.reusedForward()).isFalse();
            assertThat(reused).as(lossName).containsExactly(recomputed);
        }
    }

    @Test
    void aRefreshBetweenTheForecastsAndTheTrainingMakesTheRunComputeTheForwardPassAgain() {
        Chunk chunk = Chunk.random(8, 16, 1, HeadType.LINEAR, 6, 5);
        ForwardTrace trace = new ForwardTrace(chunk.config(), 6);
        chunk.forecast(trace);
        // An optimizer step: the parameters change and the snapshot is refreshed.
        double[] p = chunk.prepared().model().parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] *= 0.9;
        }
        chunk.prepared().refresh();

        TruncatedBptt afterStep = new TruncatedBptt(chunk.config(), 6);
        long[] trained = chunk.train(afterStep, trace, Loss.named("mse", 1));
        assertThat(afterStep.reusedForward()).isFalse();
        // ...on the new parameters, exactly as without a trace.
        TruncatedBptt plain = new TruncatedBptt(chunk.config(), 6);
        assertThat(trained).containsExactly(chunk.train(plain, null, Loss.named("mse", 1)));
    }

    @Test
    void aTraceIsUsedOnlyForItsOwnStartStateInputsAndLength() {
        Chunk chunk = Chunk.random(3, 7, 2, HeadType.MLP, 6, 11);
        ForwardTrace trace = new ForwardTrace(chunk.config(), 8);
        chunk.forecast(trace);
        TruncatedBptt bptt = new TruncatedBptt(chunk.config(), 8);
        Loss loss = Loss.named("mse", 1);

        chunk.train(bptt, trace, loss);
        assertThat(bptt.reusedForward()).isTrue();

        double[] otherStart = chunk.start().clone();
        otherStart[otherStart.length - 1] = Math.nextUp(otherStart[otherStart.length - 1]);
        new Chunk(chunk.config(), chunk.prepared(), otherStart, chunk.inputs(), chunk.targets(), chunk.labelled(), 6)
                .train(bptt, trace, loss);
        assertThat(bptt.reusedForward()).as("another start state").isFalse();

        double[] otherInputs = chunk.inputs().clone();
        otherInputs[otherInputs.length - 1] = -otherInputs[otherInputs.length - 1];
        new Chunk(chunk.config(), chunk.prepared(), chunk.start(), otherInputs, chunk.targets(), chunk.labelled(), 6)
                .train(bptt, trace, loss);
        assertThat(bptt.reusedForward()).as("other inputs").isFalse();

        boolean[] labelled = new boolean[7];
        labelled[3] = true;
        double[] longerInputs = java.util.Arrays.copyOf(chunk.inputs(), 7 * 3);
        new Chunk(chunk.config(), chunk.prepared(), chunk.start(), longerInputs, new double[14], labelled, 7)
                .train(bptt, trace, loss);
        assertThat(bptt.reusedForward()).as("more steps than recorded").isFalse();

        // A shorter chunk is a prefix of the recorded pass.
        new Chunk(chunk.config(), chunk.prepared(), chunk.start(), chunk.inputs(), chunk.targets(), chunk.labelled(), 4)
                .train(bptt, trace, loss);
        assertThat(bptt.reusedForward()).as("the first 4 steps").isTrue();

        // Another snapshot of the same model (its own version counter) is not the trace's.
        PreparedModel other = new PreparedModel(chunk.prepared().model());
        new Chunk(chunk.config(), other, chunk.start(), chunk.inputs(), chunk.targets(), chunk.labelled(), 6)
                .train(bptt, trace, loss);
        assertThat(bptt.reusedForward()).as("another prepared model").isFalse();
    }

    @Test
    void aStepThatDoesNotContinueTheTraceDropsItUntilTheNextChunkStarts() {
        Chunk chunk = Chunk.random(8, 16, 1, HeadType.LINEAR, 4, 17);
        ForwardTrace trace = new ForwardTrace(chunk.config(), 4);
        StepWorkspace ws = chunk.prepared().model().newWorkspace();
        double[] out = new double[2];
        double[] x = new double[8];
        double[] state = chunk.start().clone();

        chunk.prepared().step(state, x, out, ws, trace, 0);
        chunk.prepared().step(state, x, out, ws, trace, 1);
        assertThat(trace.steps()).isEqualTo(2);
        // Skipping a step, or a state that is not the one the last step left, drops the trace.
        chunk.prepared().step(state, x, out, ws, trace, 3);
        assertThat(trace.steps()).isZero();
        chunk.prepared().step(state, x, out, ws, trace, 2);
        assertThat(trace.steps()).as("dropped until a step 0").isZero();

        chunk.prepared().step(state, x, out, ws, trace, 0);
        state[0] += 1.0;
        chunk.prepared().step(state, x, out, ws, trace, 1);
        assertThat(trace.steps()).as("the state was changed in between").isZero();

        chunk.prepared().step(state, x, out, ws, trace, 0);
        chunk.prepared().refresh();
        chunk.prepared().step(state, x, out, ws, trace, 1);
        assertThat(trace.steps()).as("a refresh in between").isZero();
    }

    private static long[] raw(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    private static double[] uniform(Random random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * random.nextDouble() - 1) * scale;
        }
        return v;
    }
}
