package io.streamgru.model.norm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WelfordNormalizerTest {

    private static final double NAN = Double.NaN;

    @Test
    void meanAndSampleStdMatchATwoPassComputationEvenFarFromZero() {
        // A large offset with a small spread: the naive sum-of-squares formula loses every digit here.
        WelfordNormalizer norm = new WelfordNormalizer(1);
        double[] values = new double[1000];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e9 + rng.nextDouble();
            norm.update(values, i);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / (values.length - 1));

        assertThat(norm.count(0)).isEqualTo(1000);
        assertThat(norm.mean(0)).isCloseTo(mean, within(1e-6));
        assertThat(norm.std(0)).isCloseTo(std, within(1e-6 * std));
        assertThat(std).isCloseTo(Math.sqrt(1.0 / 12), within(0.02)); // sanity: uniform(0,1) spread
    }

    @Test
    void smallKnownSampleGivesTheTextbookValues() {
        WelfordNormalizer norm = new WelfordNormalizer(2);
        norm.update(new double[] {2, 10}, 0);
        norm.update(new double[] {4, 10}, 0);
        norm.update(new double[] {9, 10}, 0);

        assertThat(norm.mean(0)).isEqualTo(5.0);
        assertThat(norm.std(0)).isCloseTo(Math.sqrt(13.0), within(1e-15)); // ((9 + 1 + 16) / 2)
        assertThat(norm.normalize(5.0 + Math.sqrt(13.0), 0)).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void aMissingValueSkipsOnlyItsOwnDimension() {
        WelfordNormalizer norm = new WelfordNormalizer(3);
        norm.update(new double[] {1, 1, 1}, 0);
        norm.update(new double[] {3, NAN, 3}, 0);
        norm.update(new double[] {5, 7, Double.POSITIVE_INFINITY}, 0);

        assertThat(norm.count(0)).isEqualTo(3);
        assertThat(norm.count(1)).isEqualTo(2);
        assertThat(norm.count(2)).isEqualTo(2);
        assertThat(norm.mean(0)).isEqualTo(3.0);
        assertThat(norm.mean(1)).isEqualTo(4.0);
        assertThat(norm.mean(2)).isEqualTo(2.0);
    }

    @Test
    void whileTheSpreadIsUnknownEveryValueIsAtTheCentre() {
        WelfordNormalizer norm = new WelfordNormalizer(1);
        assertThat(norm.normalize(3.5, 0)).isEqualTo(0.0);
        assertThat(norm.mean(0)).isEqualTo(0.0);
        assertThat(norm.std(0)).isEqualTo(0.0);
        assertThat(norm.denormalize(0.7, 0)).isEqualTo(0.0);

        norm.update(new double[] {10}, 0);
        assertThat(norm.normalize(13.0, 0)).isEqualTo(0.0);
        assertThat(norm.std(0)).isEqualTo(0.0);
        assertThat(norm.denormalize(0.7, 0)).isEqualTo(10.0);
    }

    @Test
    void aConstantDimensionNormalisesToZeroInsteadOfDividingByZero() {
        WelfordNormalizer norm = new WelfordNormalizer(1);
        for (int i = 0; i < 100; i++) {
            norm.update(new double[] {42.0}, 0);
        }
        assertThat(norm.std(0)).isEqualTo(0.0);
        assertThat(norm.normalize(42.0, 0)).isEqualTo(0.0);
        assertThat(norm.denormalize(1.5, 0)).isEqualTo(42.0);
    }

    @Test
    void theScaleHasNoFloorSoTinyUnitsScaleLikeLargeOnes() {
        double[] zTiny = new double[5];
        double[] zLarge = new double[5];
        for (double unit : new double[] {1e-12, 1e12}) {
            WelfordNormalizer norm = new WelfordNormalizer(1);
            for (int t = 0; t < 1000; t++) {
                norm.update(new double[] {unit * (3 + Math.sin(0.01 * t))}, 0);
            }
            double[] z = unit < 1 ? zTiny : zLarge;
            for (int i = 0; i < z.length; i++) {
                z[i] = norm.normalize(unit * (3 + 0.5 * i - 1), 0);
            }
            assertThat(norm.std(0) / unit).isCloseTo(0.5, within(0.25));
        }
        for (int i = 0; i < zTiny.length; i++) {
            assertThat(zTiny[i]).isCloseTo(zLarge[i], within(1e-9));
        }
    }

    @Test
    void zScoresAreClippedToTenStandardDeviations() {
        WelfordNormalizer norm = trained(1, 5);
        double far = norm.mean(0) + 1e6 * norm.std(0);
        assertThat(norm.normalize(far, 0)).isEqualTo(WelfordNormalizer.MAX_Z);
        assertThat(norm.normalize(-far, 0)).isEqualTo(-WelfordNormalizer.MAX_Z);
        double near = norm.mean(0) + 3 * norm.std(0);
        assertThat(norm.normalize(near, 0)).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void limitingTheCountKeepsMeanAndSpread() {
        WelfordNormalizer norm = trained(2, 9);
        double mean = norm.mean(1);
        double std = norm.std(1);
        norm.limitCount(10);
        assertThat(norm.count(1)).isEqualTo(10);
        assertThat(norm.mean(1)).isEqualTo(mean);
        assertThat(norm.std(1)).isCloseTo(std, within(1e-12 * std));
    }

    @Test
    void nanInGivesNanOutWithoutDisturbingTheOtherDimensions() {
        WelfordNormalizer norm = trained(2, 7);
        double[] in = {NAN, 1.0};
        double[] out = new double[2];
        norm.normalize(in, 0, out, 0);

        assertThat(out[0]).isNaN();
        assertThat(out[1]).isEqualTo(norm.normalize(1.0, 1));
        assertThat(norm.normalize(NAN, 1)).isNaN();
    }

    @Test
    void arrayNormalizeHonoursOffsetsAndWorksInPlace() {
        WelfordNormalizer norm = trained(2, 3);
        double[] buf = {99, 0.5, -0.25, 99};
        double[] out = new double[5];
        norm.normalize(buf, 1, out, 3);
        norm.normalize(buf, 1, buf, 1);

        assertThat(out).containsExactly(0, 0, 0, norm.normalize(0.5, 0), norm.normalize(-0.25, 1));
        assertThat(buf).containsExactly(99, out[3], out[4], 99);
        assertThatThrownBy(() -> norm.normalize(buf, 3, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void denormalizeInvertsNormalize() {
        WelfordNormalizer norm = trained(3, 11);
        for (int d = 0; d < 3; d++) {
            // Within the clipping range (|z| <= 10) normalisation is invertible.
            for (double k : new double[] {-9, -1, 0, 0.3, 9}) {
                double v = norm.mean(d) + k * norm.std(d);
                assertThat(norm.denormalize(norm.normalize(v, d), d)).isCloseTo(v, within(1e-9 * Math.max(1, Math.abs(v))));
            }
        }
    }

    @Test
    void aFrozenNormalizerIgnoresUpdatesUntilUnfrozen() {
        WelfordNormalizer norm = trained(2, 5);
        double[] before = norm.exportState();
        norm.freeze();
        norm.update(new double[] {1e6, -1e6}, 0);

        assertThat(norm.isFrozen()).isTrue();
        assertThat(norm.exportState()).isEqualTo(before);

        norm.unfreeze();
        norm.update(new double[] {1e6, -1e6}, 0);
        assertThat(norm.count(0)).isEqualTo((long) before[1] + 1);
    }

    @Test
    void exportedStateRestoresTheNormalizerBitForBit() {
        WelfordNormalizer norm = trained(3, 13);
        norm.update(new double[] {NAN, 2.0, NAN}, 0);
        double[] state = norm.exportState();

        WelfordNormalizer copy = new WelfordNormalizer(3);
        copy.importState(state);

        assertThat(copy.exportState()).isEqualTo(state);
        for (int d = 0; d < 3; d++) {
            assertThat(copy.count(d)).isEqualTo(norm.count(d));
            assertThat(Double.doubleToRawLongBits(copy.mean(d))).isEqualTo(Double.doubleToRawLongBits(norm.mean(d)));
            assertThat(Double.doubleToRawLongBits(copy.std(d))).isEqualTo(Double.doubleToRawLongBits(norm.std(d)));
        }
        assertThat(state).hasSize(copy.stateSize()).startsWith(3.0);

        double[] into = new double[2 + copy.stateSize()];
        copy.exportState(into, 2);
        assertThat(java.util.Arrays.copyOfRange(into, 2, into.length)).isEqualTo(state);
    }

    @Test
    void importRejectsStateOfAnotherShapeOrWithImpossibleNumbersAndKeepsItsOwn() {
        WelfordNormalizer norm = trained(2, 17);
        double[] own = norm.exportState();

        assertThatThrownBy(() -> norm.importState(new WelfordNormalizer(3).exportState()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 dims");
        double[] negativeCount = own.clone();
        negativeCount[2] = -1;
        assertThatThrownBy(() -> norm.importState(negativeCount)).hasMessageContaining("count of dim 1");
        double[] fractionalCount = own.clone();
        fractionalCount[1] = 2.5;
        assertThatThrownBy(() -> norm.importState(fractionalCount)).hasMessageContaining("count of dim 0");
        double[] nanMean = own.clone();
        nanMean[3] = NAN;
        assertThatThrownBy(() -> norm.importState(nanMean)).hasMessageContaining("dim 0");
        assertThat(norm.exportState()).isEqualTo(own);
    }

    @Test
    void mergingTwoNormalizersEqualsOneThatSawAllTheValues() {
        SplittableRandom rng = new SplittableRandom(3);
        WelfordNormalizer all = new WelfordNormalizer(3);
        WelfordNormalizer a = new WelfordNormalizer(3);
        WelfordNormalizer b = new WelfordNormalizer(3);
        for (int i = 0; i < 500; i++) {
            // dim 2 is only ever seen by b: merging must copy it, not average it with a's empty stats.
            double[] x = {50 + 3 * rng.nextDouble(), -2 + rng.nextDouble(), i < 200 ? NAN : rng.nextDouble()};
            all.update(x, 0);
            (i < 200 ? a : b).update(x, 0);
        }
        double[] bBefore = b.exportState();

        a.merge(b);

        assertThat(b.exportState()).isEqualTo(bBefore);
        for (int d = 0; d < 3; d++) {
            assertThat(a.count(d)).isEqualTo(all.count(d));
            assertThat(a.mean(d)).isCloseTo(all.mean(d), within(1e-12 * Math.abs(all.mean(d))));
            assertThat(a.std(d)).isCloseTo(all.std(d), within(1e-12));
        }
        assertThat(a.count(2)).isEqualTo(300);
    }

    @Test
    void mergingAnEmptyNormalizerChangesNothing() {
        WelfordNormalizer norm = trained(2, 19);
        double[] before = norm.exportState();
        norm.merge(new WelfordNormalizer(2));
        assertThat(norm.exportState()).isEqualTo(before);
        assertThatThrownBy(() -> norm.merge(new WelfordNormalizer(4))).hasMessageContaining("4 dims into 2");
    }

    @Test
    void updateAndNormalizeDoNotAllocate() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        // JUnit's assumptions: AssertJ's build a proxy class first, which costs a second.
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "needs per-thread allocation counting");
        threads.setThreadAllocatedMemoryEnabled(true);
        WelfordNormalizer norm = new WelfordNormalizer(4);
        double[] x = {1, 2, NAN, 4};
        double[] out = new double[4];
        double[] state = new double[norm.stateSize()];
        runHotPath(norm, x, out, state, 20_000); // warm up, so class loading and JIT are not counted

        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        double sink = runHotPath(norm, x, out, state, 20_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;

        assertThat(sink).isFinite();
        assertThat(allocated).isZero();
    }

    private static double runHotPath(WelfordNormalizer norm, double[] x, double[] out, double[] state, int n) {
        double sink = 0;
        for (int i = 0; i < n; i++) {
            x[0] = i;
            norm.update(x, 0);
            norm.normalize(x, 0, out, 0);
            sink += out[0] + norm.normalize(i, 1) + norm.denormalize(0.5, 3);
            norm.exportState(state, 0);
        }
        return sink;
    }

    private static WelfordNormalizer trained(int dims, long seed) {
        WelfordNormalizer norm = new WelfordNormalizer(dims);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[dims];
        for (int i = 0; i < 50; i++) {
            for (int d = 0; d < dims; d++) {
                x[d] = 10 * d + (d + 1) * rng.nextDouble();
            }
            norm.update(x, 0);
        }
        return norm;
    }
}
