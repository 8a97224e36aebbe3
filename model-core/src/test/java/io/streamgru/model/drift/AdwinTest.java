package io.streamgru.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdwinTest {

    @Test
    void defaults_are_rivers_reporting_increases() {
        Adwin a = new Adwin();
        assertThat(a.delta()).isEqualTo(0.002);
        assertThat(a.clock()).isEqualTo(32);
        assertThat(a.maxBuckets()).isEqualTo(5);
        assertThat(a.minWindowLength()).isEqualTo(5);
        assertThat(a.gracePeriod()).isEqualTo(10);
        assertThat(a.direction()).isEqualTo(DriftDirection.UP);
    }

    @Test
    void the_buckets_summarise_the_window_exactly_as_a_list_of_its_values_would() {
        // A stationary stream: no change is detected, so the window is every value so far.
        Adwin a = new Adwin(0.002, DriftDirection.BOTH);
        SplittableRandom random = new SplittableRandom(5);
        double sum = 0;
        double mean = 0;
        double m2 = 0;
        for (int n = 1; n <= 50_000; n++) {
            double x = 10 + random.nextDouble();
            assertThat(a.update(x)).isFalse();
            sum += x;
            double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
            if (n % 4999 == 0) {
                assertThat(a.width()).isEqualTo(n);
                assertThat(a.total()).isCloseTo(sum, within(1e-9 * sum));
                assertThat(a.variance()).isCloseTo(m2, within(1e-7 * m2));
                // Exponential histogram: at most maxBuckets per row, about maxBuckets × log2(n / maxBuckets) in all.
                for (int c : RiverAgreementTest.rowCounts(a)) {
                    assertThat(c).isBetween(1, 5);
                }
                assertThat(a.buckets()).isLessThanOrEqualTo(5 * (1 + (int) (Math.log(n) / Math.log(2))));
            }
        }
    }

    @Test
    void a_change_shrinks_the_window_to_the_values_after_it() {
        // Without the restart that follows a reported detection (DOWN does not report an increase).
        Adwin a = new Adwin(0.002, 1, 5, 5, 10, DriftDirection.DOWN);
        for (int i = 0; i < 4000; i++) {
            assertThat(a.update(i < 3000 ? 0.0 : 1.0)).isFalse();
        }
        assertThat(a.estimation()).isEqualTo(1.0);
        assertThat(a.width()).isBetween(900L, 1000L);
    }

    @Test
    void after_a_reported_detection_the_next_value_starts_an_empty_window() {
        Adwin a = new Adwin(0.002, DriftDirection.UP);
        int at = -1;
        for (int i = 0; i < 2000 && at < 0; i++) {
            if (a.update(i < 1000 ? 0.0 : 1.0)) {
                at = i;
            }
        }
        assertThat(at).isEqualTo(1023); // the first check (every 32 values) after the change
        assertThat(a.width()).isLessThan(1024);
        a.update(1.0);
        assertThat(a.width()).isEqualTo(1);
        assertThat(a.drifted()).isFalse();
        assertThat(a.detections()).isEqualTo(1);
    }

    @Test
    void parameters_are_checked() {
        assertThatThrownBy(() -> new Adwin(0, DriftDirection.UP)).hasMessageContaining("delta");
        assertThatThrownBy(() -> new Adwin(1, DriftDirection.UP)).hasMessageContaining("delta");
        assertThatThrownBy(() -> new Adwin(0.002, 0, 5, 5, 10, DriftDirection.UP)).hasMessageContaining("clock");
        assertThatThrownBy(() -> new Adwin(0.002, 32, 1, 5, 10, DriftDirection.UP)).hasMessageContaining("maxBuckets");
        assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 0, 10, DriftDirection.UP)).hasMessageContaining("minWindowLength");
        assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 5, -1, DriftDirection.UP)).hasMessageContaining("gracePeriod");
    }

    @Test
    void a_state_of_another_bucket_size_is_refused() {
        Adwin five = new Adwin();
        for (int i = 0; i < 100; i++) {
            five.update(i % 3);
        }
        Adwin three = new Adwin(0.002, 32, 3, 5, 10, DriftDirection.UP);
        assertThatThrownBy(() -> three.importState(five.exportState())).hasMessageContaining("maxBuckets");
    }
}
