package io.streamgru.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every {@link DriftDetector} promises, checked for both. */
class DetectorContractTest {

    static Stream<Arguments> detectors() {
        return Stream.of(
                Arguments.of("page-hinkley", (Supplier<DriftDetector>) PageHinkley::new),
                Arguments.of("page-hinkley both, small threshold",
                        (Supplier<DriftDetector>) () -> new PageHinkley(30, 0.005, 10, 1 - 1e-4, DriftDirection.BOTH)),
                Arguments.of("adwin", (Supplier<DriftDetector>) Adwin::new),
                Arguments.of("adwin both, clock 1",
                        (Supplier<DriftDetector>) () -> new Adwin(0.002, 1, 5, 5, 10, DriftDirection.BOTH)));
    }

    /** |N(0,1)| with a level shift of 3 every 1,500 values, alternately up and down. */
    static double[] shiftingStream(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double level = (i / 1500) % 2 == 1 ? 3 : 0;
            x[i] = Math.abs(level + random.nextGaussian());
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void an_imported_state_continues_bit_for_bit(String name, Supplier<DriftDetector> make) {
        double[] x = shiftingStream(9000, 7);
        DriftDetector reference = make.get();
        boolean[] expected = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = reference.update(x[i]);
        }
        assertThat(reference.detections()).as("the stream must make it fire").isGreaterThanOrEqualTo(2);
        // Snapshot at every point where it matters: mid-stream, and right at each detection (restart pending).
        DriftDetector original = make.get();
        for (int i = 0; i < x.length; i++) {
            original.update(x[i]);
            if (i % 997 == 0 || original.drifted()) {
                DriftDetector copy = make.get();
                copy.importState(original.exportState());
                assertThat(copy.exportState()).isEqualTo(original.exportState());
                assertThat(copy.drifted()).isEqualTo(original.drifted());
                assertThat(copy.detections()).isEqualTo(original.detections());
                for (int j = i + 1; j < Math.min(x.length, i + 400); j++) {
                    assertThat(copy.update(x[j])).as("%s: value %d after a snapshot at %d", name, j, i)
                            .isEqualTo(expected[j]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void non_finite_values_are_ignored(String name, Supplier<DriftDetector> make) {
        double[] x = shiftingStream(4000, 11);
        DriftDetector clean = make.get();
        DriftDetector dirty = make.get();
        for (int i = 0; i < x.length; i++) {
            boolean a = clean.update(x[i]);
            if (i % 7 == 0) {
                assertThat(dirty.update(Double.NaN)).isFalse();
                assertThat(dirty.update(Double.POSITIVE_INFINITY)).isFalse();
                assertThat(dirty.drifted()).isFalse();
            }
            assertThat(dirty.update(x[i])).isEqualTo(a);
        }
        assertThat(dirty.exportState()).isEqualTo(clean.exportState());
        assertThat(clean.detections()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void reset_makes_it_as_new(String name, Supplier<DriftDetector> make) {
        DriftDetector used = make.get();
        for (double v : shiftingStream(5000, 3)) {
            used.update(v);
        }
        assertThat(used.detections()).isPositive();
        used.reset();
        assertThat(used.exportState()).isEqualTo(make.get().exportState());
        assertThat(used.detections()).isZero();
        assertThat(used.drifted()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void foreign_or_damaged_states_are_refused_without_changing_anything(String name, Supplier<DriftDetector> make) {
        DriftDetector d = make.get();
        for (double v : shiftingStream(2000, 5)) {
            d.update(v);
        }
        double[] before = d.exportState();
        DriftDetector other = d instanceof PageHinkley ? new Adwin() : new PageHinkley();
        assertThatThrownBy(() -> d.importState(other.exportState())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.importState(new double[0])).isInstanceOf(IllegalArgumentException.class);
        double[] damaged = before.clone();
        damaged[d instanceof PageHinkley ? 1 : 2] = -1.5; // PH: count; ADWIN: tick
        assertThatThrownBy(() -> d.importState(damaged)).isInstanceOf(IllegalArgumentException.class);
        double[] truncated = java.util.Arrays.copyOf(before, before.length - 1);
        assertThatThrownBy(() -> d.importState(truncated)).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.exportState()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void update_allocates_nothing(String name, Supplier<DriftDetector> make) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] x = shiftingStream(30_000, 13);
        DriftDetector d = make.get();
        long warm = run(d, x); // class loading and JIT are not counted
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        long fired = run(d, x);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(warm + fired).isPositive();
        assertThat(allocated).isZero();
    }

    private static long run(DriftDetector d, double[] x) {
        long fired = 0;
        for (double v : x) {
            if (d.update(v)) {
                fired++;
            }
        }
        return fired;
    }
}
