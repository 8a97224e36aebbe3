package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshots, resets and the contract every {@link Optimizer} shares. */
class OptimizerStateTest {

    private static final int SIZE = 17;

    static Stream<Arguments> optimizers() {
        return Stream.of(
                of("sgd plain", Sgd::new),
                of("sgd nesterov + decay", n -> new Sgd(n, 0.9, 0, true, 1e-2)),
                of("sgd dampened momentum", n -> new Sgd(n, 0.9, 0.1, false, 0)),
                of("adam + L2", n -> new Adam(n, 0.9, 0.99, 1e-8, 1e-2)),
                of("adamw", AdamW::new),
                of("rmsprop", RmsProp::new),
                of("rmsprop centered + momentum + decay", n -> new RmsProp(n, 0.9, 1e-8, 0.5, true, 1e-3)));
    }

    private static Arguments of(String name, IntFunction<Optimizer> factory) {
        return Arguments.of(Named.of(name, factory));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void anImportedSnapshotContinuesBitForBit(IntFunction<Optimizer> factory) {
        Random random = new Random(42);
        Optimizer original = factory.apply(SIZE);
        double[] params = vector(random);
        for (int k = 0; k < 3; k++) {
            original.step(params, vector(random), 0.01);
        }

        Optimizer restored = factory.apply(SIZE);
        restored.importState(original.exportState());
        double[] restoredParams = params.clone();
        for (int k = 0; k < 4; k++) {
            double[] grad = vector(random);
            original.step(params, grad, 0.01 / (k + 1));
            restored.step(restoredParams, grad, 0.01 / (k + 1));
        }

        assertThat(restored.steps()).isEqualTo(7);
        assertThat(restoredParams).isEqualTo(params);
        assertThat(restored.exportState()).isEqualTo(original.exportState());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void resetMomentsZeroesTheMomentsAndKeepsTheStepCount(IntFunction<Optimizer> factory) {
        Random random = new Random(2);
        Optimizer used = factory.apply(SIZE);
        double[] scratch = vector(random);
        used.step(scratch, vector(random), 0.1);
        used.step(scratch, vector(random), 0.1);

        used.resetMoments();

        double[] state = used.exportState();
        assertThat(state[0]).isEqualTo(2);
        for (int i = 1; i < state.length; i++) {
            assertThat(state[i]).isZero();
        }
        assertThat(used.steps()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void resetForgetsEverythingLikeAFreshOptimizer(IntFunction<Optimizer> factory) {
        Random random = new Random(1);
        Optimizer used = factory.apply(SIZE);
        double[] scratch = vector(random);
        used.step(scratch, vector(random), 0.1);
        used.step(scratch, vector(random), 0.1);

        used.reset();

        Optimizer fresh = factory.apply(SIZE);
        assertThat(used.steps()).isZero();
        assertThat(used.exportState()).isEqualTo(fresh.exportState());
        double[] a = vector(random);
        double[] b = a.clone();
        double[] grad = vector(random);
        used.step(a, grad, 0.1);
        fresh.step(b, grad, 0.1);
        assertThat(a).isEqualTo(b);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void exportIsACopyAndImportRejectsForeignShapes(IntFunction<Optimizer> factory) {
        Optimizer optimizer = factory.apply(SIZE);
        double[] state = optimizer.exportState();
        assertThat(state[0]).as("leading step count").isZero();
        assertThat((state.length - 1) % SIZE).as("whole moment buffers").isZero();
        state[0] = 99;
        assertThat(optimizer.steps()).isZero();

        assertThatThrownBy(() -> optimizer.importState(new double[state.length + 1]))
                .hasMessageContaining(optimizer.name()).hasMessageContaining("length " + state.length);
        double[] fractional = state.clone();
        fractional[0] = 2.5;
        assertThatThrownBy(() -> optimizer.importState(fractional)).hasMessageContaining("step count");
        double[] negative = state.clone();
        negative[0] = -1;
        assertThatThrownBy(() -> optimizer.importState(negative)).hasMessageContaining("step count");
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void touchesOnlyTheFirstSizeParametersAndNeverTheGradient(IntFunction<Optimizer> factory) {
        Optimizer optimizer = factory.apply(3);
        double[] params = {1, 2, 3, 4};
        double[] grads = {0.5, -0.5, 0.25, 9};

        optimizer.step(params, grads, 0.1);

        assertThat(params[3]).isEqualTo(4);
        assertThat(params[0]).isNotEqualTo(1);
        assertThat(grads).containsExactly(0.5, -0.5, 0.25, 9);
        assertThatThrownBy(() -> optimizer.step(params, grads, Double.NaN)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> optimizer.step(new double[2], grads, 0.1)).hasMessageContaining("at least 3");
    }

    @Test
    void stateHoldsOnlyTheMomentsTheConfigurationUses() {
        assertThat(new Sgd(SIZE).exportState()).hasSize(1);
        assertThat(new Sgd(SIZE, 0.9, 0, false, 0).exportState()).hasSize(1 + SIZE);
        assertThat(new Adam(SIZE).exportState()).hasSize(1 + 2 * SIZE);
        assertThat(new AdamW(SIZE).exportState()).hasSize(1 + 2 * SIZE);
        assertThat(new RmsProp(SIZE).exportState()).hasSize(1 + SIZE);
        assertThat(new RmsProp(SIZE, 0.99, 1e-8, 0.9, true, 0).exportState()).hasSize(1 + 3 * SIZE);
    }

    @Test
    void defaultConstructorsUseTorchDefaults() {
        assertSameSteps(new Adam(SIZE), new Adam(SIZE, 0.9, 0.999, 1e-8, 0));
        assertSameSteps(new AdamW(SIZE), new AdamW(SIZE, 0.9, 0.999, 1e-8, 0.01));
        assertSameSteps(new RmsProp(SIZE), new RmsProp(SIZE, 0.99, 1e-8, 0, false, 0));
        assertSameSteps(new Sgd(SIZE), new Sgd(SIZE, 0, 0, false, 0));
        assertThat(Stream.of(new Sgd(1), new Adam(1), new AdamW(1), new RmsProp(1)).map(Optimizer::name))
                .containsExactly("sgd", "adam", "adamw", "rmsprop");
    }

    @Test
    void rejectsHyperparametersTorchRejects() {
        assertThatThrownBy(() -> new Sgd(3, 0, 0, true, 0)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new Sgd(3, 0.9, 0.1, true, 0)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new Adam(3, 1.0, 0.999, 1e-8, 0)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new AdamW(3, 0.9, -0.1, 1e-8, 0)).hasMessageContaining("beta2");
        assertThatThrownBy(() -> new RmsProp(3, 0.99, -1, 0, false, 0)).hasMessageContaining("eps");
        assertThatThrownBy(() -> new Adam(0)).hasMessageContaining("size");
    }

    private static void assertSameSteps(Optimizer a, Optimizer b) {
        Random random = new Random(3);
        double[] pa = vector(random);
        double[] pb = pa.clone();
        for (int k = 0; k < 3; k++) {
            double[] grad = vector(random);
            a.step(pa, grad, 0.05);
            b.step(pb, grad, 0.05);
        }
        assertThat(pa).as(a.name()).isEqualTo(pb);
    }

    private static double[] vector(Random random) {
        double[] v = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
