package io.streamgru.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    @Test
    void defaults_are_rivers_monitoring_increases() {
        PageHinkley ph = new PageHinkley();
        assertThat(ph.minInstances()).isEqualTo(30);
        assertThat(ph.delta()).isEqualTo(0.005);
        assertThat(ph.threshold()).isEqualTo(50.0);
        assertThat(ph.alpha()).isEqualTo(1 - 0.0001);
        assertThat(ph.direction()).isEqualTo(DriftDirection.UP);
    }

    @Test
    void never_fires_before_min_instances_values_since_the_last_restart() {
        PageHinkley ph = new PageHinkley(30, 0.005, 5, 1.0, DriftDirection.UP);
        for (int i = 0; i < 29; i++) {
            // Huge jumps, but fewer than 30 values.
            assertThat(ph.update(i % 2 == 0 ? 0 : 1000)).as("value %d", i).isFalse();
        }
        assertThat(ph.increaseStatistic()).isGreaterThan(5);
        assertThat(ph.update(1000)).isTrue();
        // The next value starts a fresh test: min instances again.
        for (int i = 0; i < 29; i++) {
            assertThat(ph.update(i % 2 == 0 ? 0 : 1000)).isFalse();
            assertThat(ph.count()).isEqualTo(i + 1);
        }
        assertThat(ph.detections()).isEqualTo(1);
    }

    @Test
    void an_increase_is_not_a_decrease() {
        PageHinkley up = new PageHinkley(30, 0.005, 50, 1 - 1e-4, DriftDirection.UP);
        PageHinkley down = new PageHinkley(30, 0.005, 50, 1 - 1e-4, DriftDirection.DOWN);
        long upAt = -1;
        long downAt = -1;
        for (int i = 0; i < 2000; i++) {
            double x = i < 1000 ? 1 : 3;
            if (up.update(x) && upAt < 0) {
                upAt = i;
            }
            if (down.update(4 - x) && downAt < 0) {
                downAt = i;
            }
        }
        // +2 per value after the change: the statistic passes 50 on the 26th value after it.
        assertThat(upAt).isEqualTo(1025);
        assertThat(downAt).isEqualTo(1025);
        assertThat(up.detections()).isEqualTo(1);
        assertThat(down.detections()).isEqualTo(1);
    }

    /**
     * River's forgetting factor has a side effect on a stream that falls for long (a forecaster's
     * error while it learns): S+ sinks far below zero during the fall, and once the values settle
     * {@code alpha} pulls it back towards {@code -delta / (1 - alpha)} = -50. That rise is an
     * "increase" of S+ over its minimum, so the test fires although no value ever rose. Without
     * forgetting (alpha = 1) it does not. The index is the Python transcription's (docs/drift.md).
     */
    @Test
    void a_long_fall_then_a_plateau_fires_with_rivers_forgetting_factor_but_not_without() {
        PageHinkley forgetting = new PageHinkley();
        PageHinkley plain = new PageHinkley(30, 0.005, 50, 1.0, DriftDirection.UP);
        int firedAt = -1;
        for (int i = 0; i < 40_000; i++) {
            double x = 5.0 * Math.exp(-i / 2000.0);
            if (forgetting.update(x)) {
                assertThat(firedAt).as("fires once").isEqualTo(-1);
                firedAt = i;
            }
            assertThat(plain.update(x)).isFalse();
        }
        assertThat(firedAt).isEqualTo(14047);
    }

    @Test
    void parameters_are_checked() {
        assertThatThrownBy(() -> new PageHinkley(0, 0.005, 50, 0.9999, DriftDirection.UP))
                .hasMessageContaining("minInstances");
        assertThatThrownBy(() -> new PageHinkley(30, -1, 50, 0.9999, DriftDirection.UP)).hasMessageContaining("delta");
        assertThatThrownBy(() -> new PageHinkley(30, 0.005, 0, 0.9999, DriftDirection.UP))
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> new PageHinkley(30, 0.005, 50, 1.5, DriftDirection.UP)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new PageHinkley(30, 0.005, 50, 0, DriftDirection.UP)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new PageHinkley(30, 0.005, 50, 0.9999, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void directions_read_rivers_mode_names() {
        assertThat(DriftDirection.named("Up")).isEqualTo(DriftDirection.UP);
        assertThat(DriftDirection.named(" down ")).isEqualTo(DriftDirection.DOWN);
        assertThat(DriftDirection.named("both")).isEqualTo(DriftDirection.BOTH);
        assertThatThrownBy(() -> DriftDirection.named("sideways")).hasMessageContaining("up, down or both");
        assertThat(DriftDirection.UP.reports(true)).isTrue();
        assertThat(DriftDirection.UP.reports(false)).isFalse();
        assertThat(DriftDirection.DOWN.reports(false)).isTrue();
        assertThat(DriftDirection.BOTH.reports(false)).isTrue();
    }

    @Test
    void absolute_error_is_in_units_of_the_scale_and_nan_when_unscorable() {
        assertThat(DriftDetector.absoluteError(3.0, 1.0, 0.5)).isEqualTo(4.0);
        assertThat(DriftDetector.absoluteError(1.0, 3.0, 2.0)).isEqualTo(1.0);
        assertThat(DriftDetector.absoluteError(Double.NaN, 3.0, 2.0)).isNaN();
        assertThat(DriftDetector.absoluteError(1.0, Double.NaN, 2.0)).isNaN();
        assertThat(DriftDetector.absoluteError(1.0, 3.0, 0.0)).isNaN();
        assertThat(DriftDetector.absoluteError(1.0, 3.0, Double.NaN)).isNaN();
        assertThat(DriftDetector.absoluteError(1e9, 3.0, 1e-3)).isEqualTo(DriftDetector.MAX_ERROR);
        assertThat(DriftDetector.absoluteError(Double.POSITIVE_INFINITY, 3.0, 1.0)).isEqualTo(DriftDetector.MAX_ERROR);
    }
}
