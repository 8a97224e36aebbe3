package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GradientBatchCodecTest {

    private static GradientBatch batch(int drifts) {
        return new GradientBatch(7, "c0ffee", "app/0_1", 16, 2.5, new double[] {1, -2, 3}, new double[] {4, 5},
                new double[] {6}, 1_700_000_000_000L, drifts);
    }

    @Test
    void theDriftCountTravelsWithTheBatch() {
        GradientBatch decoded = GradientBatchCodec.decode(GradientBatchCodec.encode(batch(3)));
        assertThat(decoded.driftDetections()).isEqualTo(3);
        assertThat(decoded.gradientSum()).containsExactly(1, -2, 3);
        assertThat(decoded.samples()).isEqualTo(16);
    }

    @Test
    void aBatchFromALearnerThatPredatesDriftCountsReadsZero() {
        byte[] current = GradientBatchCodec.encode(batch(5));
        byte[] old = Arrays.copyOf(current, current.length - 4); // the same layout without the trailing count
        GradientBatch decoded = GradientBatchCodec.decode(old);
        assertThat(decoded.driftDetections()).isZero();
        assertThat(decoded.targetStatsDelta()).containsExactly(6);
    }

    @Test
    void aNegativeCountIsRejected() {
        assertThatThrownBy(() -> GradientBatchCodec.decode(GradientBatchCodec.encode(batch(-1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drift");
    }
}
