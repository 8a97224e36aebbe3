package io.streamgru.model.optim;

import static io.streamgru.model.optim.TorchFixtures.assertAgrees;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GradientAccumulatorTest {

    private static final double[] START = {0.5, -0.25, 1.0};

    static Stream<TorchFixtures.Case> windowCases() {
        return TorchFixtures.cases("window_");
    }

    /**
     * Replays chunks of a real PyTorch run (loss_sum.backward() per chunk, then p.grad /= samples,
     * clip_grad_norm_, opt.step(), scheduler.step()) and checks norm, rate and parameters after
     * every window.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("windowCases")
    void reproducesThePyTorchAccumulateAverageClipStepLoop(TorchFixtures.Case fixture) {
        double[] params = fixture.first("initial").numbers();
        GradientAccumulator acc = new GradientAccumulator(params.length, 1, fixture.optimizer(params.length),
                fixture.schedule(), fixture.first("clip_norm").number(0));
        int rejected = 0;
        int steps = 0;
        for (TorchFixtures.Line line : fixture.lines()) {
            switch (line.key()) {
                case "chunk" -> {
                    boolean accepted = line.tokens()[0].equals("accepted");
                    double[] grad = line.numbers(3);
                    double[] buffer = acc.chunkGradient();
                    for (int i = 0; i < grad.length; i++) {
                        buffer[i] += grad[i];
                    }
                    assertThat(acc.commitChunk(line.number(2), Integer.parseInt(line.tokens()[1])))
                            .as("chunk accepted").isEqualTo(accepted);
                    rejected += accepted ? 0 : 1;
                }
                case "step" -> {
                    assertThat(acc.step(params)).isEqualTo(StepOutcome.valueOf(line.tokens()[0]));
                    steps++;
                }
                case "norm" -> assertAgrees(acc.lastGradientNorm(), line.number(0), "norm of window " + steps);
                case "lr" -> assertAgrees(acc.lastLearningRate(), line.number(0), "rate of window " + steps);
                case "params" -> assertAgrees(params, line.numbers(), "params after window " + steps);
                default -> { }
            }
        }
        assertThat(steps).isPositive();
        assertThat(acc.stepsApplied()).isEqualTo(steps);
        assertThat(acc.rejectedChunks()).isEqualTo(rejected);
    }

    @Test
    void aNanChunkIsRejectedAndCountedWhileTheWindowStepsWithTheGoodChunks() {
        double[] params = START.clone();
        GradientAccumulator acc = new GradientAccumulator(3, 4, new Sgd(3), new ConstantRate(0.1), 0);

        assertThat(commit(acc, 1.0, 2, 1, 2, 3)).isTrue();
        assertThat(commit(acc, 5.0, 1, 1, Double.NaN, 0)).as("NaN gradient").isFalse();
        assertThat(acc.chunkGradient()).as("buffer re-zeroed after a rejection").containsOnly(0.0);
        assertThat(commit(acc, Double.POSITIVE_INFINITY, 1, 1, 1, 1)).as("infinite loss").isFalse();
        assertThat(acc.ready()).isFalse();
        assertThat(commit(acc, 3.0, 2, 3, 2, 1)).isTrue();
        assertThat(acc.ready()).isTrue();

        assertThat(acc.step(params)).isEqualTo(StepOutcome.APPLIED);

        // Mean of the good chunks: (1+3, 2+2, 3+1) / 4 = (1, 1, 1).
        assertThat(params).containsExactly(0.5 - 0.1, -0.25 - 0.1, 1.0 - 0.1);
        assertThat(acc.rejectedChunks()).isEqualTo(2);
        assertThat(acc.lastMeanLoss()).isEqualTo(1.0);
        assertThat(acc.totalSamples()).isEqualTo(4);
        assertThat(acc.stepsApplied()).isEqualTo(1);
        assertThat(acc.windowSamples()).isZero();
    }

    @Test
    void aWindowStepEqualsOneOptimizerStepOnTheClippedMeanGradient() {
        Random random = new Random(7);
        int size = 50;
        double[] params = randomVector(random, size);
        double[] twinParams = params.clone();
        GradientAccumulator acc = new GradientAccumulator(size, 10, new Adam(size), new ConstantRate(0.01), 0.5);
        Adam twin = new Adam(size);

        double[] sum = new double[size];
        int samples = 0;
        for (int chunk = 0; chunk < 4; chunk++) {
            double[] g = randomVector(random, size);
            int n = chunk + 1;
            for (int i = 0; i < size; i++) {
                acc.chunkGradient()[i] += g[i];
                sum[i] += g[i];
            }
            acc.commitChunk(0.1 * n, n);
            samples += n;
        }
        assertThat(acc.step(params)).isEqualTo(StepOutcome.APPLIED);

        double[] mean = new double[size];
        for (int i = 0; i < size; i++) {
            mean[i] = sum[i] / samples;
        }
        double norm = new GlobalNormClipper(0.5).clip(mean, size);
        twin.step(twinParams, mean, 0.01);

        assertThat(norm).as("this window must actually be clipped").isGreaterThan(0.5);
        assertThat(acc.lastGradientNorm()).isEqualTo(norm);
        assertThat(params).as("bit-identical to the hand-made step").isEqualTo(twinParams);
    }

    @Test
    void aWindowOfPowerOfTwoSamplesStepsBitForBitAsTheDivisionWould() {
        Random random = new Random(11);
        int size = 64;
        double[] params = randomVector(random, size);
        double[] twinParams = params.clone();
        // 32 samples: the mean is taken with an exact reciprocal instead of a division.
        GradientAccumulator acc = new GradientAccumulator(size, 32, new Adam(size), new ConstantRate(0.01), 0.5);
        Adam twin = new Adam(size);
        double[] sum = new double[size];
        for (int chunk = 0; chunk < 4; chunk++) {
            double[] g = randomVector(random, size);
            // Values whose quotient is subnormal, tiny, huge or an odd mantissa: rounding would show here.
            g[0] = Double.MIN_NORMAL * 3.0;
            g[1] = 5e-320;
            g[2] = 1e100 * random.nextDouble();
            g[3] = Math.nextUp(1.0 / 3);
            for (int i = 0; i < size; i++) {
                acc.chunkGradient()[i] += g[i];
                sum[i] += g[i];
            }
            acc.commitChunk(0.1, 8);
        }
        assertThat(acc.step(params)).isEqualTo(StepOutcome.APPLIED);

        double[] mean = new double[size];
        for (int i = 0; i < size; i++) {
            mean[i] = sum[i] / 32;
        }
        double norm = new GlobalNormClipper(0.5).clip(mean, size);
        twin.step(twinParams, mean, 0.01);

        assertThat(acc.lastGradientNorm()).isEqualTo(norm);
        assertThat(params).as("bit-identical to the hand-made step").isEqualTo(twinParams);
    }

    @Test
    void aMeanThatOverflowsIsSkippedLeavingParametersAndOptimizerUntouched() {
        double[] params = START.clone();
        Sgd sgd = new Sgd(3);
        GradientAccumulator acc = new GradientAccumulator(3, 2, sgd, new ConstantRate(0.1), 1.0);
        commit(acc, 0, 1, 1e308, 0, 0);
        commit(acc, 0, 1, 1e308, 0, 0);

        assertThat(acc.step(params)).as("sum of finite chunks is infinite")
                .isEqualTo(StepOutcome.SKIPPED_NON_FINITE);
        commit(acc, 0, 1, 1e200, 0, 0);
        assertThat(acc.step(params)).as("finite mean, but its norm overflows")
                .isEqualTo(StepOutcome.SKIPPED_NON_FINITE);

        assertThat(params).containsExactly(START);
        assertThat(sgd.steps()).isZero();
        assertThat(acc.skippedSteps()).isEqualTo(2);
        assertThat(acc.stepsApplied()).isZero();
        assertThat(acc.windowSamples()).isZero();
    }

    @Test
    void anEmptyWindowDoesNothing() {
        double[] params = START.clone();
        GradientAccumulator acc = new GradientAccumulator(3, 2, new Sgd(3), new ConstantRate(0.1), 0);

        assertThat(acc.step(params)).isEqualTo(StepOutcome.EMPTY);
        assertThat(params).containsExactly(START);
        assertThat(acc.optimizer().steps()).isZero();
    }

    @Test
    void aRateMultiplierScalesTheScheduledRateOfThatStepOnly() {
        double[] boosted = START.clone();
        double[] plain = START.clone();
        GradientAccumulator a = new GradientAccumulator(3, 1, new Sgd(3), new ExponentialDecay(1.0, 0.5), 0);
        GradientAccumulator b = new GradientAccumulator(3, 1, new Sgd(3), new ExponentialDecay(1.0, 0.5), 0);
        commit(a, 0, 1, 1, 2, 3);
        commit(b, 0, 1, 3, 6, 9);
        a.step(boosted, 3.0);
        b.step(plain);
        assertThat(boosted).isEqualTo(plain); // SGD: rate x 3 on g equals rate on 3 g
        assertThat(a.lastLearningRate()).isEqualTo(3.0);
        commit(a, 0, 1, 1, 2, 3);
        a.step(boosted);
        assertThat(a.lastLearningRate()).as("the schedule itself is untouched").isEqualTo(0.5);
        assertThatThrownBy(() -> a.step(boosted, 0.0)).hasMessageContaining("multiplier");
    }

    @Test
    void theScheduleIsIndexedByAppliedOptimizerSteps() {
        double[] params = START.clone();
        GradientAccumulator acc = new GradientAccumulator(3, 1, new Sgd(3), new ExponentialDecay(1.0, 0.5), 0);

        commit(acc, 0, 1, 0, 0, 0);
        acc.step(params);
        assertThat(acc.lastLearningRate()).isEqualTo(1.0);
        commit(acc, 0, 1, Double.MAX_VALUE, Double.MAX_VALUE, 0);
        assertThat(acc.step(params)).isEqualTo(StepOutcome.SKIPPED_NON_FINITE);
        commit(acc, 0, 1, 0, 0, 0);
        acc.step(params);
        assertThat(acc.lastLearningRate()).as("the skipped window did not advance the schedule").isEqualTo(0.5);
    }

    @Test
    void addBatchAppliesTheSameCheckAndLeavesTheBatchUntouched() {
        double[] params = START.clone();
        GradientAccumulator acc = new GradientAccumulator(3, 3, new Sgd(3), new ConstantRate(1.0), 0);
        double[] good = {3, 0, -3};
        double[] bad = {0, Double.NEGATIVE_INFINITY, 0};

        assertThat(acc.addBatch(good, 3, 0.3)).isTrue();
        assertThat(acc.addBatch(bad, 3, 0.3)).isFalse();

        assertThat(good).containsExactly(3, 0, -3);
        assertThat(acc.windowSamples()).isEqualTo(3);
        assertThat(acc.rejectedChunks()).isEqualTo(1);
        acc.step(params);
        assertThat(params).containsExactly(0.5 - 1, -0.25, 1.0 + 1);
        assertThatThrownBy(() -> acc.addBatch(new double[2], 1, 0)).hasMessageContaining("expected at least 3");
    }

    @Test
    void resetDiscardsTheWindowButKeepsTheOptimizer() {
        double[] params = START.clone();
        GradientAccumulator acc = new GradientAccumulator(3, 1, new Adam(3), new ConstantRate(0.1), 0);
        commit(acc, 0, 1, 1, 1, 1);
        acc.step(params);
        commit(acc, 0, 1, 1, 1, 1);
        acc.chunkGradient()[0] = 42;

        acc.reset();

        assertThat(acc.windowSamples()).isZero();
        assertThat(acc.chunkGradient()).containsOnly(0.0);
        assertThat(acc.step(params)).isEqualTo(StepOutcome.EMPTY);
        assertThat(acc.optimizer().steps()).isEqualTo(1);
        assertThat(acc.totalSamples()).isEqualTo(2);
    }

    @Test
    void committingAndSteppingDoNotAllocate() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        int size = 256;
        double[] params = new double[size];
        double[] batch = new double[size];
        java.util.Arrays.fill(batch, 1e-3);
        GradientAccumulator acc = new GradientAccumulator(size, 2, new AdamW(size),
                new LinearWarmup(10, new CosineAnnealing(1e-3, 1000)), 1.0);
        run(acc, params, batch, 5_000);

        long before = threads.getCurrentThreadAllocatedBytes();
        run(acc, params, batch, 5_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // One object per step would already be 5,000 x 16 bytes.
        assertThat(allocated).isLessThan(8_000);
    }

    @Test
    void rejectsAMismatchedOptimizerAndAnEmptyWindow() {
        assertThatThrownBy(() -> new GradientAccumulator(4, 1, new Sgd(3), new ConstantRate(1), 0))
                .hasMessageContaining("size 4").hasMessageContaining("3");
        assertThatThrownBy(() -> new GradientAccumulator(3, 0, new Sgd(3), new ConstantRate(1), 0))
                .hasMessageContaining("window");
    }

    private static void run(GradientAccumulator acc, double[] params, double[] batch, int iterations) {
        for (int k = 0; k < iterations; k++) {
            double[] chunk = acc.chunkGradient();
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] += 2e-3 * ((k + i) % 7 - 3);
            }
            acc.commitChunk(0.5, 1);
            acc.addBatch(batch, 1, 0.25);
            if (acc.ready()) {
                acc.step(params);
            }
        }
    }

    private static boolean commit(GradientAccumulator acc, double lossSum, int samples, double... grad) {
        double[] chunk = acc.chunkGradient();
        for (int i = 0; i < grad.length; i++) {
            chunk[i] += grad[i];
        }
        return acc.commitChunk(lossSum, samples);
    }

    private static double[] randomVector(Random random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
