package io.streamgru.model.gru;

import java.util.Arrays;

/**
 * A named tensor inside the flat parameter array: {@code size} numbers starting at {@code offset},
 * row-major with the given PyTorch shape.
 */
public record TensorView(String name, int offset, int[] shape) {

    public TensorView {
        shape = shape.clone();
    }

    /** Number of elements. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Rows of a matrix (or the length of a vector). */
    public int rows() {
        return shape[0];
    }

    /** Columns of a matrix (1 for a vector). */
    public int cols() {
        return shape.length > 1 ? shape[1] : 1;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorView t && t.name.equals(name) && t.offset == offset && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + offset) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
