package io.streamgru.model.gru;

/**
 * The dense kernels the GRU needs, on plain row-major arrays with explicit offsets and shapes
 * (the EJML "ops" style: no objects, no allocation). Shapes here are tiny (a few hundred rows),
 * so the loops are written for the JIT: independent accumulators for dot products, and
 * unit-stride AXPY loops, which C2 vectorises, for the transposed product and outer products.
 */
public final class DenseKernels {

    private DenseKernels() {
    }

    /** {@code y = W x + b}; W is rows×cols at {@code w[wOff]}. */
    public static void gemv(double[] w, int wOff, int rows, int cols, double[] x, int xOff,
                            double[] b, int bOff, double[] y, int yOff) {
        for (int i = 0; i < rows; i++) {
            y[yOff + i] = b[bOff + i] + dot(w, wOff + i * cols, x, xOff, cols);
        }
    }

    /** Dot product of {@code n} elements, four independent partial sums (breaks the add chain). */
    public static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[aOff + j] * b[bOff + j];
            s1 += a[aOff + j + 1] * b[bOff + j + 1];
            s2 += a[aOff + j + 2] * b[bOff + j + 2];
            s3 += a[aOff + j + 3] * b[bOff + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[aOff + j] * b[bOff + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code dx += Wᵀ dy}; W is rows×cols at {@code w[wOff]}, dy has rows, dx has cols elements. */
    public static void gemvTransposedAdd(double[] w, int wOff, int rows, int cols, double[] dy, int dyOff,
                                         double[] dx, int dxOff) {
        for (int i = 0; i < rows; i++) {
            double d = dy[dyOff + i];
            if (d != 0.0) {
                axpy(d, w, wOff + i * cols, dx, dxOff, cols);
            }
        }
    }

    /** {@code G += dy xᵀ}; G is rows×cols at {@code g[gOff]}. */
    public static void outerAdd(double[] dy, int dyOff, int rows, double[] x, int xOff, int cols,
                                double[] g, int gOff) {
        for (int i = 0; i < rows; i++) {
            double d = dy[dyOff + i];
            if (d != 0.0) {
                axpy(d, x, xOff, g, gOff + i * cols, cols);
            }
        }
    }

    /** {@code y += a x} over {@code n} elements. */
    public static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }

    /** {@code y += x} over {@code n} elements. */
    public static void add(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += x[xOff + j];
        }
    }

    /** Logistic sigmoid, stable for large |v|. */
    public static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }
}
