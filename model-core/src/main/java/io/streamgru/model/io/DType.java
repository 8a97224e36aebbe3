package io.streamgru.model.io;

/** Element types of safetensors tensors that StreamGRU reads, with their safetensors names. */
public enum DType {
    /** IEEE 754 binary64. */
    F64(8),
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16 (read only). */
    F16(2),
    /** bfloat16: the upper half of a binary32 (read only). */
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@link SafetensorsWriter} can write this type. */
    public boolean writable() {
        return this == F64 || this == F32;
    }
}
