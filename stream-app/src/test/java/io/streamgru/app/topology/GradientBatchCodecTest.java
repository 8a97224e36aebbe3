package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.app.config.GradientPrecision;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.VersionRequest;
import io.streamgru.app.versions.VersionRequestCodec;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientBatchCodecTest {

    private static GradientBatch batch(int size) {
        SplittableRandom random = new SplittableRandom(7);
        double[] gradient = new double[size];
        for (int i = 0; i < size; i++) {
            gradient[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-12, 4));
        }
        gradient[0] = 0.0;
        gradient[1] = -1e-40; // below float32's normal range: still rounds to the nearest float
        return new GradientBatch(12, "hash", "app/0_1", 16, 3.25, gradient, new double[] {5, 0.1, 0.2, 0.3},
                new double[] {5, 1.0 / 3, 2.5, 1e-300}, 1_700_000_000_000L, 0);
    }

    @Test
    void float64CarriesTheSumExactly() {
        GradientBatch b = batch(1000);
        GradientBatch back = GradientBatchCodec.decode(GradientBatchCodec.encode(b, GradientPrecision.FLOAT64));
        assertThat(back.gradientSum()).containsExactly(b.gradientSum());
        assertThat(back).usingRecursiveComparison().isEqualTo(b);
    }

    @Test
    void float32RoundsOnlyTheGradientOnceAndHalvesItsBytes() {
        GradientBatch b = batch(1000);
        byte[] wide = GradientBatchCodec.encode(b, GradientPrecision.FLOAT64);
        byte[] narrow = GradientBatchCodec.encode(b, GradientPrecision.FLOAT32);
        assertThat(wide.length - narrow.length).isEqualTo(4 * 1000);

        GradientBatch back = GradientBatchCodec.decode(narrow);
        for (int i = 0; i < 1000; i++) {
            assertThat(back.gradientSum()[i]).as("element %d", i).isEqualTo((double) (float) b.gradientSum()[i]);
        }
        // Everything else, the statistics included, travels exactly.
        assertThat(back.featureStatsDelta()).containsExactly(b.featureStatsDelta());
        assertThat(back.targetStatsDelta()).containsExactly(b.targetStatsDelta());
        assertThat(back.basedOnVersion()).isEqualTo(12);
        assertThat(back.samples()).isEqualTo(16);
        assertThat(back.lossSum()).isEqualTo(3.25);
        assertThat(back.source()).isEqualTo("app/0_1");
        assertThat(back.createdAt()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void unknownFormatsAndTruncatedBatchesAreRejected() {
        byte[] bytes = GradientBatchCodec.encode(batch(10), GradientPrecision.FLOAT32);
        byte[] future = bytes.clone();
        future[4] = 9;
        assertThatThrownBy(() -> GradientBatchCodec.decode(future)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 9");
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 60);
        assertThatThrownBy(() -> GradientBatchCodec.decode(cut)).isInstanceOf(RuntimeException.class);
    }

    private static GradientBatch withDrifts(int drifts) {
        return new GradientBatch(7, "c0ffee", "app/0_1", 16, 2.5, new double[] {1, -2, 3}, new double[] {4, 5},
                new double[] {6}, 1_700_000_000_000L, drifts);
    }

    @Test
    void theDriftCountTravelsWithTheBatchInBothPrecisions() {
        for (GradientPrecision precision : GradientPrecision.values()) {
            GradientBatch decoded = GradientBatchCodec.decode(GradientBatchCodec.encode(withDrifts(3), precision));
            assertThat(decoded.driftDetections()).as(precision.name()).isEqualTo(3);
            assertThat(decoded.gradientSum()).containsExactly(1, -2, 3);
            assertThat(decoded.targetStatsDelta()).containsExactly(6);
        }
    }

    @Test
    void aBatchFromALearnerThatPredatesDriftCountsReadsZero() {
        for (GradientPrecision precision : GradientPrecision.values()) {
            byte[] current = GradientBatchCodec.encode(withDrifts(5), precision);
            byte[] old = Arrays.copyOf(current, current.length - 4); // the same layout without the trailing count
            GradientBatch decoded = GradientBatchCodec.decode(old);
            assertThat(decoded.driftDetections()).as(precision.name()).isZero();
            assertThat(decoded.targetStatsDelta()).containsExactly(6);
        }
    }

    @Test
    void aNegativeCountIsRejected() {
        assertThatThrownBy(() -> GradientBatchCodec.decode(GradientBatchCodec.encode(withDrifts(-1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drift");
    }

    @Test
    void aVersionRequestOnTheGradientsTopicIsToldApartFromABatch() {
        byte[] request = VersionRequestCodec.encode(new VersionRequest("id", "import",
                new ModelVersion(0, "abc", new double[] {1}, new double[0], new double[0], new double[0], 0, 0, 0,
                        "x", Double.NaN)));
        byte[] batch = GradientBatchCodec.encode(withDrifts(0));

        assertThat(VersionRequestCodec.isRequest(request)).isTrue();
        assertThat(VersionRequestCodec.isRequest(batch)).isFalse();
        assertThatThrownBy(() -> GradientBatchCodec.decode(request)).isInstanceOf(IllegalArgumentException.class);
    }
}
