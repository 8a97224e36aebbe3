package io.streamgru.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriftPolicyTest {

    @Test
    void none_changes_nothing() {
        DriftPolicy p = DriftPolicy.none();
        p.onDrift(10);
        for (long step = 0; step < 100; step++) {
            assertThat(p.learningRateMultiplier(step)).isEqualTo(1.0);
            assertThat(p.resetMomentsNow()).isFalse();
        }
        assertThat(p.drifts()).isEqualTo(1);
        assertThat(p.kind()).isEqualTo(DriftPolicy.Kind.NONE);
    }

    @Test
    void boost_multiplies_the_rate_for_exactly_the_given_steps_from_the_drift_on() {
        DriftPolicy p = DriftPolicy.boostLearningRate(5, 3);
        assertThat(p.learningRateMultiplier(0)).isEqualTo(1.0);
        p.onDrift(10); // the optimizer has taken 10 steps: steps 10, 11, 12 are boosted
        assertThat(p.learningRateMultiplier(9)).isEqualTo(1.0);
        assertThat(p.learningRateMultiplier(10)).isEqualTo(5.0);
        assertThat(p.learningRateMultiplier(12)).isEqualTo(5.0);
        assertThat(p.learningRateMultiplier(13)).isEqualTo(1.0);
        assertThat(p.resetMomentsNow()).isFalse();
    }

    @Test
    void a_drift_during_a_boost_neither_extends_nor_compounds_it() {
        DriftPolicy p = DriftPolicy.boostLearningRate(4, 10);
        p.onDrift(100);
        p.onDrift(105);
        assertThat(p.learningRateMultiplier(105)).isEqualTo(4.0);
        assertThat(p.learningRateMultiplier(109)).isEqualTo(4.0);
        assertThat(p.learningRateMultiplier(110)).isEqualTo(1.0);
        assertThat(p.drifts()).isEqualTo(2);
        assertThat(p.actedOn()).isEqualTo(1);
        p.onDrift(110); // after the boost: a new one
        assertThat(p.learningRateMultiplier(119)).isEqualTo(4.0);
        assertThat(p.learningRateMultiplier(120)).isEqualTo(1.0);
        assertThat(p.actedOn()).isEqualTo(2);
    }

    @Test
    void reset_moments_is_handed_out_once_per_drift() {
        DriftPolicy p = DriftPolicy.resetMoments();
        assertThat(p.resetMomentsNow()).isFalse();
        p.onDrift(3);
        assertThat(p.learningRateMultiplier(3)).isEqualTo(1.0);
        assertThat(p.resetMomentsNow()).isTrue();
        assertThat(p.resetMomentsNow()).isFalse();
        p.onDrift(7);
        p.onDrift(7); // two drifts before the next step: one reset
        assertThat(p.resetMomentsNow()).isTrue();
        assertThat(p.resetMomentsNow()).isFalse();
        assertThat(p.resets()).isEqualTo(2);
        assertThat(p.drifts()).isEqualTo(3);
        assertThat(p.actedOn()).isEqualTo(2);
    }

    @Test
    void specs_parse_and_print_back() {
        assertThat(DriftPolicy.parse("none").kind()).isEqualTo(DriftPolicy.Kind.NONE);
        assertThat(DriftPolicy.parse(" Reset-Moments ").kind()).isEqualTo(DriftPolicy.Kind.RESET_MOMENTS);
        DriftPolicy boost = DriftPolicy.parse("boost:3:200");
        assertThat(boost.kind()).isEqualTo(DriftPolicy.Kind.BOOST_LEARNING_RATE);
        assertThat(boost.factor()).isEqualTo(3.0);
        assertThat(boost.steps()).isEqualTo(200);
        for (String spec : new String[] {"none", "reset-moments", "boost:2.5:40"}) {
            assertThat(DriftPolicy.parse(spec).spec()).isEqualTo(spec.equals("boost:2.5:40") ? "boost:2.5:40" : spec);
            assertThat(DriftPolicy.parse(DriftPolicy.parse(spec).spec()).spec()).isEqualTo(DriftPolicy.parse(spec).spec());
        }
        assertThatThrownBy(() -> DriftPolicy.parse("boost:3")).hasMessageContaining("boost:FACTOR:STEPS");
        assertThatThrownBy(() -> DriftPolicy.parse("boost:x:10")).hasMessageContaining("FACTOR");
        assertThatThrownBy(() -> DriftPolicy.parse("boost:3:1.5")).hasMessageContaining("STEPS");
        assertThatThrownBy(() -> DriftPolicy.parse("boost:0:10")).hasMessageContaining("factor");
        assertThatThrownBy(() -> DriftPolicy.parse("boost:2:0")).hasMessageContaining("steps");
        assertThatThrownBy(() -> DriftPolicy.parse("none:1")).hasMessageContaining("no parameters");
        assertThatThrownBy(() -> DriftPolicy.parse("panic")).hasMessageContaining(DriftPolicy.FORMS);
        assertThatThrownBy(() -> DriftPolicy.parse(" ")).hasMessageContaining(DriftPolicy.FORMS);
        assertThatThrownBy(() -> DriftPolicy.none().onDrift(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void its_state_survives_a_restart_of_the_optimizer_owner() {
        DriftPolicy p = DriftPolicy.boostLearningRate(3, 50);
        p.onDrift(1000);
        DriftPolicy restored = DriftPolicy.boostLearningRate(3, 50);
        restored.importState(p.exportState());
        assertThat(restored.learningRateMultiplier(1049)).isEqualTo(3.0);
        assertThat(restored.learningRateMultiplier(1050)).isEqualTo(1.0);
        assertThat(restored.drifts()).isEqualTo(1);

        DriftPolicy fresh = DriftPolicy.boostLearningRate(3, 50);
        DriftPolicy copy = DriftPolicy.boostLearningRate(3, 50);
        copy.importState(fresh.exportState());
        assertThat(copy.learningRateMultiplier(0)).isEqualTo(1.0);

        DriftPolicy reset = DriftPolicy.resetMoments();
        reset.onDrift(4);
        DriftPolicy resetCopy = DriftPolicy.resetMoments();
        resetCopy.importState(reset.exportState());
        assertThat(resetCopy.resetMomentsNow()).isTrue();

        assertThatThrownBy(() -> p.importState(new double[] {301, 0, 1, 2, 0, 0, 0})).hasMessageContaining("reset pending");
        assertThatThrownBy(() -> p.importState(new double[] {1, 2})).hasMessageContaining("not a drift policy state");
        assertThat(p.learningRateMultiplier(1000)).isEqualTo(3.0);
    }
}
