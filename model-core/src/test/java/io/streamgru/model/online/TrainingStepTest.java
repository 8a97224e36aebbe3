package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.optim.StepOutcome;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one training step: guards and the drift policy's hook, as every driver gets them. */
class TrainingStepTest {

    private static final LearnerConfig PLAIN = LearnerConfig.builder().hidden(4).build();

    private static double[] gradient(long seed, int size) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] g = new double[size];
        for (int i = 0; i < size; i++) {
            g[i] = rng.nextDouble() - 0.5;
        }
        return g;
    }

    @Test
    void aResetMomentsPolicyZeroesTheMomentsBeforeTheStepAfterADrift() {
        LearnerConfig resetting = LearnerConfig.builder().hidden(4).driftPolicy("reset-moments").build();
        TrainingStep policy = TrainingStep.fresh(resetting, 8);
        TrainingStep byHand = TrainingStep.fresh(PLAIN, 8);
        double[] a = ModelInitialization.initialParameters(PLAIN);
        double[] b = a.clone();
        int size = a.length;
        for (long s = 0; s < 3; s++) {
            double[] g = gradient(s, size);
            policy.addBatch(g, 8, 1.0);
            byHand.addBatch(g, 8, 1.0);
            assertThat(policy.step(a)).isEqualTo(StepOutcome.APPLIED);
            byHand.step(b);
            assertThat(policy.lastStepResetMoments()).isFalse();
        }
        assertThat(policy.onDrift()).isTrue();
        byHand.optimizer().resetMoments();
        double[] g = gradient(9, size);
        policy.addBatch(g, 8, 1.0);
        byHand.addBatch(g, 8, 1.0);
        policy.step(a);
        byHand.step(b);

        assertThat(policy.lastStepResetMoments()).isTrue();
        assertThat(policy.driftPolicy().resets()).isEqualTo(1);
        assertThat(a).isEqualTo(b);
        assertThat(policy.optimizer().exportState()).isEqualTo(byHand.optimizer().exportState());
    }

    @Test
    void aNonFiniteBatchIsRejectedAndCountedAndTheNextStepIsClean() {
        TrainingStep t = TrainingStep.fresh(PLAIN, 8);
        double[] p = ModelInitialization.initialParameters(PLAIN);
        double[] bad = gradient(1, p.length);
        bad[3] = Double.POSITIVE_INFINITY;
        assertThat(t.addBatch(bad, 8, 1.0)).isFalse();
        assertThat(t.addBatch(gradient(2, p.length), 8, Double.NaN)).isFalse();
        assertThat(t.rejectedBatches()).isEqualTo(2);
        assertThat(t.windowSamples()).isZero();
        assertThat(t.addBatch(gradient(3, p.length), 8, 1.0)).isTrue();
        assertThat(t.step(p)).isEqualTo(StepOutcome.APPLIED);
        for (double v : p) {
            assertThat(v).isFinite();
        }
    }

    @Test
    void withALinearPathTheGruAndHeadStepAtTheirScheduledMultipleOfThePathsRate() {
        LearnerConfig halving = LearnerConfig.builder().hidden(4).linearGruSchedule("exp:0.5").build();
        LearnerConfig same = halving.toBuilder().linearGruSchedule("constant").build();
        assertThat(halving.linearPath()).as("the linear path is on by default").isTrue();
        int linear = new io.streamgru.model.gru.ParameterLayout(halving.gruConfig()).linearWeight();
        TrainingStep slower = TrainingStep.fresh(halving, 8);
        TrainingStep plain = TrainingStep.fresh(same, 8);
        double[] p = ModelInitialization.initialParameters(halving);
        double[] q = p.clone();
        for (int step = 0; step < 3; step++) {
            double[] before = p.clone();
            double[] beforeQ = q.clone();
            double[] g = gradient(10 + step, p.length);
            slower.addBatch(g.clone(), 8, 1.0);
            plain.addBatch(g.clone(), 8, 1.0);
            assertThat(slower.step(p)).isEqualTo(StepOutcome.APPLIED);
            plain.step(q);
            double multiple = Math.pow(0.5, step);
            for (int i = 0; i < p.length; i++) {
                double expected = (i < linear ? multiple : 1.0) * (q[i] - beforeQ[i]);
                assertThat(p[i] - before[i]).as("step " + step + ", parameter " + i)
                        .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-15));
            }
        }
    }
}
