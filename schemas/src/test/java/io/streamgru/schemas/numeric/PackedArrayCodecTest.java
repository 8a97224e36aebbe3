package io.streamgru.schemas.numeric;

import io.streamgru.schemas.Dtype;
import io.streamgru.schemas.PackedArray;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackedArrayCodecTest {

    @Test
    void float64IsExactIncludingSpecialValues() {
        double[] values = {0.0, -0.0, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e-300};
        double[] back = PackedArrayCodec.unpack(PackedArrayCodec.pack(values, Dtype.FLOAT64));
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits(back[i])).as("element " + i)
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
    }

    @Test
    void float32RoundsToTheNearestFloat() {
        double[] back = PackedArrayCodec.unpack(PackedArrayCodec.pack(new double[] {1.0 / 3, 0.1, 1e-50}, Dtype.FLOAT32));
        assertThat(back).containsExactly((double) (float) (1.0 / 3), (double) 0.1f, 0.0);
    }

    @Test
    void bytesAreLittleEndianIeee754LikeNumpy() {
        PackedArray packed = PackedArrayCodec.pack(new double[] {1.0, -2.0}, Dtype.FLOAT64);
        assertThat(packed.getLength()).isEqualTo(2);
        assertThat(bytes(packed.getData())).containsExactly(
                0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f,           // 1.0 = 0x3ff0000000000000
                0, 0, 0, 0, 0, 0, 0, (byte) 0xc0);             // -2.0 = 0xc000000000000000
        PackedArray single = PackedArrayCodec.pack(new double[] {1.0}, Dtype.FLOAT32);
        assertThat(bytes(single.getData())).containsExactly(0, 0, (byte) 0x80, 0x3f); // 1.0f = 0x3f800000
    }

    @Test
    void packsASliceOfALargerArray() {
        PackedArray packed = PackedArrayCodec.pack(new double[] {9, 1, 2, 9}, 1, 2, Dtype.FLOAT64);
        assertThat(PackedArrayCodec.unpack(packed)).containsExactly(1, 2);
    }

    @Test
    void aLengthThatDoesNotMatchTheBytesIsRejected() {
        PackedArray packed = PackedArrayCodec.pack(new double[] {1, 2, 3}, Dtype.FLOAT32);
        packed.setDtype(Dtype.FLOAT64);
        assertThatThrownBy(() -> PackedArrayCodec.unpack(packed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claims 3 elements (24 bytes) but holds 12 bytes");
    }

    @Test
    void unpackingDoesNotConsumeTheRecordsBuffer() {
        PackedArray packed = PackedArrayCodec.pack(new double[] {4, 5}, Dtype.FLOAT64);
        PackedArrayCodec.unpack(packed);
        assertThat(PackedArrayCodec.unpack(packed)).containsExactly(4, 5);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
