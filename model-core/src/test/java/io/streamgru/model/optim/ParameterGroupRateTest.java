package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A parameter group's own rate: scaling the group's update after the step is the group stepping at
 * that multiple of the rate (as a second PyTorch parameter group would), for every optimizer, while
 * the parameters outside the group step at the optimizer's rate.
 */
class ParameterGroupRateTest {

    private static final int SIZE = 23;
    private static final int FROM = 0;
    private static final int TO = 17;
    private static final LearningRateSchedule MULTIPLE = new InverseTimeDecay(1.0, 1.0, 1, 0.1);

    private static Optimizer optimizer(String name) {
        return switch (name) {
            case "sgd" -> new Sgd(SIZE, 0.0, 0.0, false, 0.01);
            case "momentum" -> new Sgd(SIZE, 0.9, 0.0, false, 0.01);
            case "nesterov" -> new Sgd(SIZE, 0.9, 0.0, true, 0.01);
            case "adam" -> new Adam(SIZE, 0.9, 0.999, 1e-8, 0.01);
            case "adamw" -> new AdamW(SIZE, 0.9, 0.999, 1e-8, 0.01);
            case "rmsprop" -> new RmsProp(SIZE, 0.99, 1e-8, 0.9, false, 0.01);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static double[] random(SplittableRandom rng) {
        double[] v = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            v[i] = rng.nextDouble() - 0.5;
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"})
    void theGroupStepsAtItsMultipleOfTheRateAndTheRestAtTheRate(String name) {
        SplittableRandom rng = new SplittableRandom(7);
        double[] start = random(rng);
        double[] grouped = start.clone();
        double[] allAtRate = start.clone();
        double[] allAtMultiple = start.clone();
        Optimizer a = optimizer(name);
        Optimizer b = optimizer(name);
        Optimizer c = optimizer(name);
        ParameterGroupRate group = new ParameterGroupRate(FROM, TO, MULTIPLE);
        double rate = 0.05;
        for (long step = 0; step < 12; step++) {
            double[] g = random(rng);
            group.remember(grouped);
            a.step(grouped, g, rate);
            group.scaleUpdate(grouped, step);
            b.step(allAtRate, g, rate);
            c.step(allAtMultiple, g, rate * MULTIPLE.rate(step));
        }
        assertThat(MULTIPLE.rate(11)).as("the multiple fell to its floor").isEqualTo(0.1);
        for (int i = 0; i < SIZE; i++) {
            double expected = i < TO ? allAtMultiple[i] : allAtRate[i];
            assertThat(grouped[i]).as(name + " parameter " + i).isCloseTo(expected, within(1e-14));
        }
        assertThat(grouped[0]).as("the group did not step at the rate").isNotCloseTo(allAtRate[0], within(1e-6));
    }

    @Test
    void aMultipleOfOneLeavesTheStepBitForBit() {
        double[] p = {1.0, 2.0, 3.0};
        ParameterGroupRate group = new ParameterGroupRate(0, 3, step -> 1.0);
        group.remember(p);
        p[0] = 0.1 + 0.2;
        group.scaleUpdate(p, 0);
        assertThat(p).containsExactly(0.1 + 0.2, 2.0, 3.0);
    }

    @Test
    void aGroupIsARange() {
        assertThatThrownBy(() -> new ParameterGroupRate(5, 4, step -> 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
