package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LearnerTaskStateTest {

    @Test
    void aStateReadsBackBitForBitFromSeventeenBytesOfFormatOne() {
        long[] counts = {LearnerTaskState.UNKNOWN_KEYS, 0, 1, 1_000_000, Long.MAX_VALUE};
        double[] norms = {0.0, Double.MIN_VALUE, 0.1, 1.0 / 3.0, 7.25e-3, Double.MAX_VALUE};
        for (int i = 0; i < norms.length; i++) {
            byte[] bytes = new LearnerTaskState(norms[i], counts[i % counts.length]).encode();
            assertThat(bytes).hasSize(17);
            assertThat(bytes[0]).isEqualTo((byte) 1);
            LearnerTaskState back = LearnerTaskState.decode(bytes);
            assertThat(Double.doubleToRawLongBits(back.typicalChunkNorm())).isEqualTo(Double.doubleToRawLongBits(norms[i]));
            assertThat(back.keys()).isEqualTo(counts[i % counts.length]);
        }
    }

    @Test
    void anotherFormatOrLengthIsRefusedWithWhatWasFound() {
        byte[] newer = new LearnerTaskState(0.5, 3).encode();
        newer[0] = 2;
        assertThatThrownBy(() -> LearnerTaskState.decode(newer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 2").hasMessageContaining("reads format 1");
        assertThatThrownBy(() -> LearnerTaskState.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LearnerTaskState.decode(new byte[] {1, 0, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bytes");
    }

    @Test
    void onlyAFiniteNonNegativeNormAndAKnownOrUnknownCountAreAState() {
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new LearnerTaskState(bad, 0)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new LearnerTaskState(1, -2)).isInstanceOf(IllegalArgumentException.class);
        byte[] nan = new LearnerTaskState(1, 0).encode();
        java.nio.ByteBuffer.wrap(nan).putDouble(1, Double.NaN);
        assertThatThrownBy(() -> LearnerTaskState.decode(nan)).isInstanceOf(IllegalArgumentException.class);
    }
}
