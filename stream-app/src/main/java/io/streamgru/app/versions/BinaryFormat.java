package io.streamgru.app.versions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian primitives for StreamGRU's internal topics: length-prefixed double arrays and
 * strings. Shared by the model-version and gradient-batch codecs so both read the same way.
 */
public final class BinaryFormat {

    private BinaryFormat() {
    }

    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static int sizeOf(double[] values) {
        return 4 + 8 * values.length;
    }

    public static int sizeOf(String s) {
        return 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    public static void put(ByteBuffer b, double[] values) {
        b.putInt(values.length);
        b.asDoubleBuffer().put(values);
        b.position(b.position() + 8 * values.length);
    }

    public static double[] getDoubles(ByteBuffer b, String what) {
        int n = b.getInt();
        if (n < 0 || 8L * n > b.remaining()) {
            throw new IllegalArgumentException("corrupt " + what + ": length " + n);
        }
        double[] v = new double[n];
        b.asDoubleBuffer().get(v);
        b.position(b.position() + 8 * n);
        return v;
    }

    /** A length-prefixed array written as float32 (each value rounded to nearest). */
    public static void putAsFloats(ByteBuffer b, double[] values) {
        b.putInt(values.length);
        int at = b.position();
        for (int i = 0; i < values.length; i++) {
            b.putFloat(at + 4 * i, (float) values[i]);
        }
        b.position(at + 4 * values.length);
    }

    /** Reads what {@link #putAsFloats} wrote, widened back to float64 (exactly). */
    public static double[] getFloatsAsDoubles(ByteBuffer b, String what) {
        int n = b.getInt();
        if (n < 0 || 4L * n > b.remaining()) {
            throw new IllegalArgumentException("corrupt " + what + ": length " + n);
        }
        double[] v = new double[n];
        int at = b.position();
        for (int i = 0; i < n; i++) {
            v[i] = b.getFloat(at + 4 * i);
        }
        b.position(at + 4 * n);
        return v;
    }

    /** Moves past a length-prefixed double array without reading it. */
    public static void skipDoubles(ByteBuffer b, String what) {
        int n = b.getInt();
        if (n < 0 || 8L * n > b.remaining()) {
            throw new IllegalArgumentException("corrupt " + what + ": length " + n);
        }
        b.position(b.position() + 8 * n);
    }

    public static void put(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }

    public static String getString(ByteBuffer b, String what) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("corrupt " + what + ": length " + n);
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
