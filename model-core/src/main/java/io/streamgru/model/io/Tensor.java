package io.streamgru.model.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, row-major tensor held as doubles, with the element type it has (or will have) in a file.
 * Values read from F32, F16 or BF16 are widened exactly. The data array is shared, not copied: a
 * model can be several megabytes and is written or read once.
 */
public final class Tensor {

    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final double[] data;

    /** Checks that {@code data} holds exactly the product of {@code shape} values. */
    public Tensor(String name, DType dtype, int[] shape, double[] data) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.data = Objects.requireNonNull(data, "data");
        long size = elementCount(this.shape);
        if (size != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(shape)
                    + (size < 0 ? " is invalid" : " needs " + size + " values") + " but has " + data.length);
        }
    }

    /**
     * The number of elements of {@code shape}, or -1 if a dimension is negative or the count exceeds
     * what a Java array can hold.
     */
    static long elementCount(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                return -1;
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                // Keep going only to see whether a later 0 makes the tensor empty after all.
                for (int rest : shape) {
                    if (rest == 0) {
                        return 0;
                    }
                }
                return -1;
            }
        }
        return size;
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape; {@code []} is a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Length of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Whether the shape is exactly {@code expected}. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The values, row-major; the live array, not a copy. */
    public double[] data() {
        return data;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
