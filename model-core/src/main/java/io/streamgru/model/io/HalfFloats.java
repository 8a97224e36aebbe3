package io.streamgru.model.io;

/** Widening of the 16-bit float formats (Java 17 has no {@code Float.float16ToFloat}). */
final class HalfFloats {

    private HalfFloats() {
    }

    /** IEEE 754 binary16 bits to the float of the same value (exact: every half is a float). */
    static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        float magnitude;
        if (exponent == 0) {
            magnitude = mantissa * 0x1p-24f; // zero or subnormal: mantissa · 2^-24, exact
        } else if (exponent == 0x1f) {
            magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Float.intBitsToFloat((exponent - 15 + 127) << 23 | mantissa << 13);
        }
        return (h & 0x8000) != 0 ? -magnitude : magnitude;
    }

    /** bfloat16 bits (the top half of a binary32) to the float of the same value. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
