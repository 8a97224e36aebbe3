package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LearnerTaskStateTest {

    @Test
    void aStateReadsBackBitForBitFromNineBytesOfFormatOne() {
        for (double norm : new double[] {0.0, Double.MIN_VALUE, 0.1, 1.0 / 3.0, 7.25e-3, Double.MAX_VALUE}) {
            byte[] bytes = new LearnerTaskState(norm).encode();
            assertThat(bytes).hasSize(9);
            assertThat(bytes[0]).isEqualTo((byte) 1);
            assertThat(Double.doubleToRawLongBits(LearnerTaskState.decode(bytes).typicalChunkNorm()))
                    .isEqualTo(Double.doubleToRawLongBits(norm));
        }
    }

    @Test
    void anotherFormatOrLengthIsRefusedWithWhatWasFound() {
        byte[] newer = new LearnerTaskState(0.5).encode();
        newer[0] = 2;
        assertThatThrownBy(() -> LearnerTaskState.decode(newer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 2").hasMessageContaining("reads format 1");
        assertThatThrownBy(() -> LearnerTaskState.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LearnerTaskState.decode(new byte[] {1, 0, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bytes");
    }

    @Test
    void onlyAFiniteNonNegativeNormIsAState() {
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new LearnerTaskState(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] nan = new LearnerTaskState(1).encode();
        java.nio.ByteBuffer.wrap(nan).putDouble(1, Double.NaN);
        assertThatThrownBy(() -> LearnerTaskState.decode(nan)).isInstanceOf(IllegalArgumentException.class);
    }
}
