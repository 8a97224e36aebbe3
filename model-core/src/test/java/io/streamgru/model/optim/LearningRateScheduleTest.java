package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantNeverChanges() {
        LearningRateSchedule s = new ConstantRate(0.01);
        assertThat(s.rate(0)).isEqualTo(0.01);
        assertThat(s.rate(1_000_000)).isEqualTo(0.01);
    }

    @Test
    void stepDecayMultipliesByGammaEveryStepSizeSteps() {
        LearningRateSchedule s = new StepDecay(0.1, 3, 0.5);
        assertThat(s.rate(0)).isEqualTo(0.1);
        assertThat(s.rate(2)).isEqualTo(0.1);
        assertThat(s.rate(3)).isEqualTo(0.05);
        assertThat(s.rate(5)).isEqualTo(0.05);
        assertThat(s.rate(6)).isEqualTo(0.025);
    }

    @Test
    void exponentialDecayMultipliesByGammaEveryStep() {
        LearningRateSchedule s = new ExponentialDecay(0.1, 0.5);
        assertThat(s.rate(0)).isEqualTo(0.1);
        assertThat(s.rate(1)).isEqualTo(0.05);
        assertThat(s.rate(3)).isEqualTo(0.0125);
    }

    @Test
    void inverseTimeDecayHalvesAfterDecayStepsOverDecayRate() {
        LearningRateSchedule s = new InverseTimeDecay(0.1, 0.5, 100);
        assertThat(s.rate(0)).isEqualTo(0.1);
        assertThat(s.rate(200)).isEqualTo(0.05);
        assertThat(s.rate(600)).isCloseTo(0.025, within(1e-18));
    }

    @Test
    void inverseTimeDecayStopsAtItsFloorAndStaysThere() {
        LearningRateSchedule s = new InverseTimeDecay(0.1, 0.5, 100, 0.02);
        assertThat(s.rate(0)).isEqualTo(0.1);
        assertThat(s.rate(200)).as("above the floor: the plain decay").isEqualTo(0.05);
        assertThat(s.rate(600)).isCloseTo(0.025, within(1e-18));
        assertThat(s.rate(800)).as("0.1 / 5 is exactly the floor").isCloseTo(0.02, within(1e-18));
        assertThat(s.rate(801)).as("below 0.1 / (1 + 0.5 * 801 / 100) the floor holds").isEqualTo(0.02);
        assertThat(s.rate(1_000_000_000L)).as("for ever").isEqualTo(0.02);
    }

    @Test
    void inverseTimeDecayWithoutAFloorFallsTowardsZero() {
        LearningRateSchedule s = new InverseTimeDecay(0.01, 1, 500);
        assertThat(s).isEqualTo(new InverseTimeDecay(0.01, 1, 500, 0.0));
        assertThat(s.rate(62_500)).isCloseTo(0.01 / 126, within(1e-18));
        assertThat(s.rate(Long.MAX_VALUE)).isLessThan(1e-17).isNotNegative();
    }

    @Test
    void inverseTimeDecayFloorNeverLiftsTheRateAboveTheBaseRate() {
        LearningRateSchedule s = new InverseTimeDecay(1e-4, 1, 500, 1e-3);
        assertThat(s.rate(0)).isEqualTo(1e-4);
        assertThat(s.rate(1_000_000)).as("a floor above the base rate holds the base rate").isEqualTo(1e-4);
        assertThat(new InverseTimeDecay(0.01, 0, 500, 1e-3).rate(1_000_000)).as("no decay: the base rate").isEqualTo(0.01);
    }

    @Test
    void cosineFallsFromBaseToMinimumOverTotalStepsThenStaysThere() {
        LearningRateSchedule s = new CosineAnnealing(0.1, 100, 0.001);
        assertThat(s.rate(0)).isEqualTo(0.1);
        assertThat(s.rate(50)).isCloseTo((0.1 + 0.001) / 2, within(1e-17));
        assertThat(s.rate(99)).isGreaterThan(0.001);
        assertThat(s.rate(100)).isEqualTo(0.001);
        assertThat(s.rate(10_000)).as("no climb back like torch's periodic cosine").isEqualTo(0.001);
        assertThat(new CosineAnnealing(0.1, 10).rate(10)).isZero();
    }

    @Test
    void warmupRampsLinearlyToTheInnerScheduleThenHandsOverFromItsStart() {
        LearningRateSchedule s = new LinearWarmup(4, new ExponentialDecay(0.1, 0.5));
        assertThat(s.rate(0)).isEqualTo(0.1 * 0.25);
        assertThat(s.rate(1)).isEqualTo(0.1 * 0.5);
        assertThat(s.rate(2)).isEqualTo(0.1 * 0.75);
        assertThat(s.rate(3)).as("last warm-up step reaches the target exactly").isEqualTo(0.1);
        assertThat(s.rate(4)).as("inner step 0").isEqualTo(0.1);
        assertThat(s.rate(5)).as("inner step 1").isEqualTo(0.05);
    }

    @Test
    void warmupOfThreeStepsEndsExactlyOnTheTargetDespiteRounding() {
        // 0.1 * 3 / 3 would be 0.10000000000000002.
        assertThat(new LinearWarmup(3, new ConstantRate(0.1)).rate(2)).isEqualTo(0.1);
    }

    @Test
    void rejectsParametersThatCannotDescribeASchedule() {
        assertThatThrownBy(() -> new StepDecay(0.1, 0, 0.5)).hasMessageContaining("stepSize");
        assertThatThrownBy(() -> new ExponentialDecay(0.1, 0)).hasMessageContaining("gamma");
        assertThatThrownBy(() -> new CosineAnnealing(0.1, 0)).hasMessageContaining("totalSteps");
        assertThatThrownBy(() -> new ConstantRate(Double.NaN)).hasMessageContaining("baseRate");
        assertThatThrownBy(() -> new LinearWarmup(0, new ConstantRate(1))).hasMessageContaining("warmupSteps");
        assertThatThrownBy(() -> new InverseTimeDecay(0.1, 1, 500, -1e-3)).hasMessageContaining("minRate");
        assertThatThrownBy(() -> new InverseTimeDecay(0.1, 1, 500, Double.NaN)).hasMessageContaining("minRate");
    }
}
