package io.streamgru.schemas.numeric;

import io.streamgru.schemas.Dtype;
import io.streamgru.schemas.PackedArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs {@code double[]} into {@link PackedArray} and back.
 *
 * <p>Layout: little-endian IEEE 754, 8 bytes per element for {@link Dtype#FLOAT64} (exact) and 4
 * for {@link Dtype#FLOAT32} (rounded to nearest; for transport of gradients and parameters where
 * half the size matters more than the last bits). Little-endian because that is what NumPy,
 * PyTorch and safetensors use, so a Python consumer reads {@code data} with
 * {@code numpy.frombuffer(data, "<f8")} without copying.
 *
 * <p>{@link #unpack} validates the element count against the byte length, so a truncated or
 * mislabelled payload fails instead of being reinterpreted.
 */
public final class PackedArrayCodec {

    private PackedArrayCodec() {
    }

    /** Bytes per element of {@code dtype}. */
    public static int width(Dtype dtype) {
        return switch (dtype) {
            case FLOAT64 -> Double.BYTES;
            case FLOAT32 -> Float.BYTES;
        };
    }

    /** All of {@code values} as a packed array of the given element type. */
    public static PackedArray pack(double[] values, Dtype dtype) {
        return pack(values, 0, values.length, dtype);
    }

    /** {@code values[offset, offset + length)} as a packed array of the given element type. */
    public static PackedArray pack(double[] values, int offset, int length, Dtype dtype) {
        if (offset < 0 || length < 0 || offset > values.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
                    + ") outside an array of length " + values.length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(length, width(dtype))).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == Dtype.FLOAT64) {
            bytes.asDoubleBuffer().put(values, offset, length);
        } else {
            for (int i = 0; i < length; i++) {
                bytes.putFloat(i * Float.BYTES, (float) values[offset + i]);
            }
        }
        return PackedArray.newBuilder().setDtype(dtype).setLength(length).setData(bytes).build();
    }

    /**
     * The elements of {@code packed} as doubles (FLOAT32 widened exactly).
     *
     * @throws IllegalArgumentException if the byte length does not match {@code length} elements
     */
    public static double[] unpack(PackedArray packed) {
        int length = packed.getLength();
        int width = width(packed.getDtype());
        // duplicate(): reading must not move the position of the record's own buffer.
        ByteBuffer data = packed.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (length < 0 || (long) length * width != data.remaining()) {
            throw new IllegalArgumentException("packed " + packed.getDtype() + " array claims " + length
                    + " elements (" + (long) length * width + " bytes) but holds " + data.remaining() + " bytes");
        }
        double[] values = new double[length];
        if (packed.getDtype() == Dtype.FLOAT64) {
            data.asDoubleBuffer().get(values);
        } else {
            for (int i = 0; i < length; i++) {
                values[i] = data.getFloat(data.position() + i * Float.BYTES);
            }
        }
        return values;
    }
}
