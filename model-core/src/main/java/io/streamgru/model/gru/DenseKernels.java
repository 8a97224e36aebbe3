package io.streamgru.model.gru;

/**
 * The dense kernels the GRU needs, on plain row-major arrays with explicit offsets and shapes
 * (the EJML "ops" style: no objects, no allocation). Shapes here are tiny (a few hundred rows),
 * so the loops are written for the JIT.
 *
 * <p>What C2 (JDK 17) does with them, measured in {@code bench/} (see docs/BENCHMARKS.md):
 * <ul>
 *   <li>It does not vectorise a dot product (a reduction). {@link #gemv} therefore works on four
 *       rows at a time, sixteen independent partial sums, and loads each {@code x[j]} once per four
 *       rows: about 2.3× faster than a dot product per row on the GRU's shapes.</li>
 *   <li>It vectorises an AXPY loop {@code y[i] += a * x[i]} only when every array in the loop is
 *       indexed by the same expression. With different base offsets ({@code y[yOff + i]},
 *       {@code x[xOff + i]}) the loop stays scalar and runs 3–4× slower. The {@code *Rows} and
 *       {@code *Columns} kernels below therefore take zero-offset row arrays ({@code double[][]}),
 *       which {@link TruncatedBptt} prepares once per chunk.</li>
 * </ul>
 * Every matrix kernel here performs, for every output element, exactly the floating-point
 * operations of the straightforward formulation in the same order (documented per method), so they
 * are bit-for-bit interchangeable. The activations ({@link #sigmoid}, {@link #tanh}, {@link #gates})
 * are within a few ulp of {@code Math.exp}/{@code Math.tanh}-based ones (see the section below).
 */
public final class DenseKernels {

    private DenseKernels() {
    }

    /**
     * {@code y = W x + b}; W is rows×cols at {@code w[wOff]}. Each {@code y[i]} is
     * {@code b[i] + dot(W[i], x)} with {@link #dot}'s summation order, four rows per pass.
     */
    public static void gemv(double[] w, int wOff, int rows, int cols, double[] x, int xOff,
                            double[] b, int bOff, double[] y, int yOff) {
        int main = cols & ~3;
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            int w0 = wOff + i * cols;
            int w1 = w0 + cols;
            int w2 = w1 + cols;
            int w3 = w2 + cols;
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            double b0 = 0;
            double b1 = 0;
            double b2 = 0;
            double b3 = 0;
            double c0 = 0;
            double c1 = 0;
            double c2 = 0;
            double c3 = 0;
            double d0 = 0;
            double d1 = 0;
            double d2 = 0;
            double d3 = 0;
            for (int j = 0; j < main; j += 4) {
                double x0 = x[xOff + j];
                double x1 = x[xOff + j + 1];
                double x2 = x[xOff + j + 2];
                double x3 = x[xOff + j + 3];
                a0 += w[w0 + j] * x0;
                a1 += w[w0 + j + 1] * x1;
                a2 += w[w0 + j + 2] * x2;
                a3 += w[w0 + j + 3] * x3;
                b0 += w[w1 + j] * x0;
                b1 += w[w1 + j + 1] * x1;
                b2 += w[w1 + j + 2] * x2;
                b3 += w[w1 + j + 3] * x3;
                c0 += w[w2 + j] * x0;
                c1 += w[w2 + j + 1] * x1;
                c2 += w[w2 + j + 2] * x2;
                c3 += w[w2 + j + 3] * x3;
                d0 += w[w3 + j] * x0;
                d1 += w[w3 + j + 1] * x1;
                d2 += w[w3 + j + 2] * x2;
                d3 += w[w3 + j + 3] * x3;
            }
            for (int j = main; j < cols; j++) {
                double xj = x[xOff + j];
                a0 += w[w0 + j] * xj;
                b0 += w[w1 + j] * xj;
                c0 += w[w2 + j] * xj;
                d0 += w[w3 + j] * xj;
            }
            y[yOff + i] = b[bOff + i] + ((a0 + a1) + (a2 + a3));
            y[yOff + i + 1] = b[bOff + i + 1] + ((b0 + b1) + (b2 + b3));
            y[yOff + i + 2] = b[bOff + i + 2] + ((c0 + c1) + (c2 + c3));
            y[yOff + i + 3] = b[bOff + i + 3] + ((d0 + d1) + (d2 + d3));
        }
        for (; i < rows; i++) {
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

    /**
     * {@code y = W x + b} from W's columns: {@code wCols[j]} is column j (length {@code rows}),
     * {@code b} and {@code y} start at 0. Computes for every row exactly what {@link #dot} does
     * (column j goes into partial sum j mod 4, the columns past the last multiple of 4 into the
     * first; combined as {@code b + ((s0 + s1) + (s2 + s3))}), but as unit-stride passes over
     * columns that C2 vectorises: each pass adds four columns of one partial sum in order
     * ({@code s = (((s + c_j x_j) + c_{j+4} x_{j+4}) + ...)}), so a partial sum is loaded and stored
     * once per four columns. {@code y} holds the first partial sum; {@code s1..s3} are scratch of
     * {@code rows}.
     */
    public static void gemvColumns(double[][] wCols, int rows, int cols, double[] x, int xOff, double[] b,
                                   double[] y, double[] s1, double[] s2, double[] s3) {
        if (cols == 8) {
            gemvEightColumns(wCols, rows, x, xOff, b, y);
            return;
        }
        int main = cols & ~3;
        partialSum(wCols, rows, 0, main, x, xOff, y);
        partialSum(wCols, rows, 1, main, x, xOff, s1);
        partialSum(wCols, rows, 2, main, x, xOff, s2);
        partialSum(wCols, rows, 3, main, x, xOff, s3);
        for (int j = main; j < cols; j++) {
            axpy(x[xOff + j], wCols[j], y, rows);
        }
        for (int i = 0; i < rows; i++) {
            y[i] = b[i] + ((y[i] + s1[i]) + (s2[i] + s3[i]));
        }
    }

    /**
     * {@link #gemvColumns} for eight columns (a narrow input layer): each partial sum has two
     * columns, so two passes compute {@code s0 + s1} and then {@code b + ((s0 + s1) + (s2 + s3))}
     * with the partial sums in registers, instead of eight passes that load and store them.
     */
    private static void gemvEightColumns(double[][] c, int rows, double[] x, int xOff, double[] b, double[] y) {
        double x0 = x[xOff];
        double x1 = x[xOff + 1];
        double x2 = x[xOff + 2];
        double x3 = x[xOff + 3];
        double x4 = x[xOff + 4];
        double x5 = x[xOff + 5];
        double x6 = x[xOff + 6];
        double x7 = x[xOff + 7];
        double[] c0 = c[0];
        double[] c1 = c[1];
        double[] c4 = c[4];
        double[] c5 = c[5];
        for (int i = 0; i < rows; i++) {
            y[i] = ((0.0 + c0[i] * x0) + c4[i] * x4) + ((0.0 + c1[i] * x1) + c5[i] * x5);
        }
        double[] c2 = c[2];
        double[] c3 = c[3];
        double[] c6 = c[6];
        double[] c7 = c[7];
        for (int i = 0; i < rows; i++) {
            y[i] = b[i] + (y[i] + (((0.0 + c2[i] * x2) + c6[i] * x6) + ((0.0 + c3[i] * x3) + c7[i] * x7)));
        }
    }

    /** {@code s = Σ c_j x_j} over the columns j = k, k+4, … below {@code end}, in that order, from 0. */
    private static void partialSum(double[][] c, int rows, int k, int end, double[] x, int xOff, double[] s) {
        if (k >= end) {
            java.util.Arrays.fill(s, 0, rows, 0.0);
            return;
        }
        int j = k;
        // The first term is added to 0.0 (not just stored): dot() starts its sums at 0.0, and
        // 0.0 + p differs from p for p = -0.0.
        if (j + 12 < end) {
            double x0 = x[xOff + j];
            double x1 = x[xOff + j + 4];
            double x2 = x[xOff + j + 8];
            double x3 = x[xOff + j + 12];
            double[] c0 = c[j];
            double[] c1 = c[j + 4];
            double[] c2 = c[j + 8];
            double[] c3 = c[j + 12];
            for (int i = 0; i < rows; i++) {
                s[i] = (((0.0 + c0[i] * x0) + c1[i] * x1) + c2[i] * x2) + c3[i] * x3;
            }
            j += 16;
        } else {
            double x0 = x[xOff + j];
            double[] c0 = c[j];
            for (int i = 0; i < rows; i++) {
                s[i] = 0.0 + c0[i] * x0;
            }
            j += 4;
        }
        for (; j + 12 < end; j += 16) {
            double x0 = x[xOff + j];
            double x1 = x[xOff + j + 4];
            double x2 = x[xOff + j + 8];
            double x3 = x[xOff + j + 12];
            double[] c0 = c[j];
            double[] c1 = c[j + 4];
            double[] c2 = c[j + 8];
            double[] c3 = c[j + 12];
            for (int i = 0; i < rows; i++) {
                s[i] = (((s[i] + c0[i] * x0) + c1[i] * x1) + c2[i] * x2) + c3[i] * x3;
            }
        }
        for (; j < end; j += 4) {
            axpy(x[xOff + j], c[j], s, rows);
        }
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

    /**
     * {@code dx += Wᵀ dy} from W's rows ({@code wRows[i]} is row i), dx starting at 0: the same
     * operations in the same order as {@link #gemvTransposedAdd} (rows in order, rows with
     * {@code dy[i] == 0} skipped), four rows per vectorised pass ({@link #axpy4}).
     */
    public static void gemvTransposedAddRows(double[][] wRows, int rows, int cols, double[] dy, double[] dx) {
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            double d0 = dy[i];
            double d1 = dy[i + 1];
            double d2 = dy[i + 2];
            double d3 = dy[i + 3];
            if (d0 != 0.0 && d1 != 0.0 && d2 != 0.0 && d3 != 0.0) {
                axpy4(d0, wRows[i], d1, wRows[i + 1], d2, wRows[i + 2], d3, wRows[i + 3], dx, cols);
            } else {
                for (int k = i; k < i + 4; k++) {
                    if (dy[k] != 0.0) {
                        axpy(dy[k], wRows[k], dx, cols);
                    }
                }
            }
        }
        for (; i < rows; i++) {
            if (dy[i] != 0.0) {
                axpy(dy[i], wRows[i], dx, cols);
            }
        }
    }

    /**
     * {@code y = (((y + a0 x0) + a1 x1) + a2 x2) + a3 x3} element-wise over the first {@code n}
     * elements: four {@link #axpy} calls in one pass (same operations, same order), so y is loaded
     * and stored once instead of four times.
     */
    public static void axpy4(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2,
                             double a3, double[] x3, double[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] = (((y[j] + a0 * x0[j]) + a1 * x1[j]) + a2 * x2[j]) + a3 * x3[j];
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

    /** {@code y += a x} over the first {@code n} elements of both (the form C2 vectorises). */
    public static void axpy(double a, double[] x, double[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }

    /** {@code y += x} over {@code n} elements. */
    public static void add(double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += x[xOff + j];
        }
    }

    /** Copies W (rows×cols at {@code w[wOff]}) into {@code rowsOut[i][0..cols)}. */
    public static void copyRows(double[] w, int wOff, int rows, int cols, double[][] rowsOut) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(w, wOff + i * cols, rowsOut[i], 0, cols);
        }
    }

    /** Writes {@code colsIn[j][0..rows)} back as the columns of W (rows×cols at {@code w[wOff]}). */
    public static void storeColumns(double[][] colsIn, int rows, int cols, double[] w, int wOff) {
        for (int i = 0; i < rows; i++) {
            int base = wOff + i * cols;
            for (int j = 0; j < cols; j++) {
                w[base + j] = colsIn[j][i];
            }
        }
    }

    /** Copies the columns of W (rows×cols at {@code w[wOff]}) into {@code colsOut[j][0..rows)}. */
    public static void copyColumns(double[] w, int wOff, int rows, int cols, double[][] colsOut) {
        // Blocks of 8 rows: 8 source lines stay in L1 while each column gets 8 consecutive values.
        int i0 = 0;
        for (; i0 + 7 < rows; i0 += 8) {
            int base = wOff + i0 * cols;
            for (int j = 0; j < cols; j++) {
                double[] c = colsOut[j];
                int s = base + j;
                c[i0] = w[s];
                c[i0 + 1] = w[s + cols];
                c[i0 + 2] = w[s + 2 * cols];
                c[i0 + 3] = w[s + 3 * cols];
                c[i0 + 4] = w[s + 4 * cols];
                c[i0 + 5] = w[s + 5 * cols];
                c[i0 + 6] = w[s + 6 * cols];
                c[i0 + 7] = w[s + 7 * cols];
            }
        }
        for (int i = i0; i < rows; i++) {
            int base = wOff + i * cols;
            for (int j = 0; j < cols; j++) {
                colsOut[j][i] = w[base + j];
            }
        }
    }

    // ---- activations --------------------------------------------------------------------------
    //
    // σ and tanh are written over one exponential, expm1, evaluated with operations C2 vectorises
    // (Cody–Waite reduction x = k ln2 + r, |r| <= ln2/2; the degree-13 Taylor polynomial of e^r - 1;
    // 2^k from the exponent bits). On JDK 17 Math.exp is a scalar stub call (~4 ns) and Math.tanh a
    // native fdlibm call (~18 ns); the array forms below take a GRU layer's gates in a few
    // vectorised passes. Scalar and array forms perform the same operations per element, so they
    // agree bit for bit; against StrictMath they are within 4 ulp (tests: OptimizedKernelsAgreementTest).

    static final double LOG2E = 1.4426950408889634;
    // ln 2 split so that k * LN2_HI is exact for |k| < 2^20: the classic Cody–Waite constants.
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    // Adding and subtracting 1.5 * 2^52 rounds a double below 2^51 in magnitude to an integer.
    static final double ROUND = 6755399441055744.0;
    /** |argument| bound for expm1: 2^k stays a normal double. */
    static final double SIGMOID_LIMIT = 700.0;
    /** tanh(20) rounds to 1: beyond, the argument is clamped (tanh(±20) = ±1 in double). */
    static final double TANH_LIMIT = 40.0;

    /** Logistic sigmoid {@code 1 / (1 + e^-v)} as {@code 1 / (2 + expm1(-v))}; 0 and 1 at the extremes, NaN for NaN. */
    public static double sigmoid(double v) {
        return 1.0 / (2.0 + expm1(clamp(-v, SIGMOID_LIMIT)));
    }

    /** Hyperbolic tangent as {@code expm1(2v) / (expm1(2v) + 2)}; within 4 ulp of {@code StrictMath.tanh}. */
    public static double tanh(double v) {
        double e = expm1(clamp(2.0 * v, TANH_LIMIT));
        return e / (e + 2.0);
    }

    private static double clamp(double v, double limit) {
        return Math.min(limit, Math.max(-limit, v));
    }

    /** {@code e^x - 1} for {@code |x| <= 700} (NaN for NaN), the same operations as {@link #expm1(double[], double[], int)}. */
    static double expm1(double x) {
        double k = (x * LOG2E + ROUND) - ROUND;
        double q = reducedExpm1(x, k);
        double s = Double.longBitsToDouble(((long) k + 1023L) << 52);
        return s * q + (s - 1.0);
    }

    /** {@code e^r - 1} for {@code r = x - k ln2}, |r| <= ln2/2: Taylor to degree 13 (error below 1e-17). */
    private static double reducedExpm1(double x, double k) {
        double r = (x - k * LN2_HI) - k * LN2_LO;
        double p = 1.0 / 6227020800.0;
        p = p * r + 1.0 / 479001600.0;
        p = p * r + 1.0 / 39916800.0;
        p = p * r + 1.0 / 3628800.0;
        p = p * r + 1.0 / 362880.0;
        p = p * r + 1.0 / 40320.0;
        p = p * r + 1.0 / 5040.0;
        p = p * r + 1.0 / 720.0;
        p = p * r + 1.0 / 120.0;
        p = p * r + 1.0 / 24.0;
        p = p * r + 1.0 / 6.0;
        p = p * r + 0.5;
        p = p * r + 1.0;
        return p * r;
    }

    /**
     * {@code x[i] = e^x[i] - 1} for {@code i < n}, in place, each {@code |x[i]| <= 700}; {@code k} is
     * scratch of n. Two vectorised passes and the powers of two ({@link ProductKernels#powersOfTwo}:
     * a scalar pass unless the Vector API is in use).
     */
    static void expm1(double[] x, double[] k, int n) {
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double ki = (xi * LOG2E + ROUND) - ROUND;
            k[i] = ki;
            x[i] = reducedExpm1(xi, ki);
        }
        Kernels.PRODUCTS.powersOfTwo(k, n);
        for (int i = 0; i < n; i++) {
            double s = k[i];
            x[i] = s * x[i] + (s - 1.0);
        }
    }

    /**
     * A GRU layer's gates from its pre-activations, all arrays from index 0:
     * {@code r = σ(gi_r + gh_r)}, {@code z = σ(gi_z + gh_z)}, {@code ghn = gh_n},
     * {@code n = tanh(gi_n + r ⊙ ghn)}, {@code hOut = (1 − z) ⊙ n + z ⊙ hPrev}; element for element the
     * same operations as {@link #sigmoid(double)} and {@link #tanh(double)}. {@code t} (2h) and
     * {@code k} (2h) are scratch; {@code hOut} may not be {@code hPrev}.
     */
    public static void gates(double[] gi, double[] gh, double[] hPrev, int h, double[] r, double[] z, double[] n,
                      double[] ghn, double[] hOut, double[] t, double[] k) {
        int h2 = 2 * h;
        for (int i = 0; i < h2; i++) {
            t[i] = clamp(-(gi[i] + gh[i]), SIGMOID_LIMIT);
        }
        expm1(t, k, h2);
        for (int i = 0; i < h2; i++) {
            t[i] = 1.0 / (2.0 + t[i]);
        }
        // Copies, so that every loop indexes all its arrays alike (C2 17 vectorises only then).
        System.arraycopy(t, 0, r, 0, h);
        System.arraycopy(t, h, z, 0, h);
        System.arraycopy(gh, h2, ghn, 0, h);
        System.arraycopy(gi, h2, t, 0, h);
        for (int i = 0; i < h; i++) {
            t[i] = clamp(2.0 * (t[i] + r[i] * ghn[i]), TANH_LIMIT);
        }
        expm1(t, k, h);
        for (int i = 0; i < h; i++) {
            double e = t[i];
            double ni = e / (e + 2.0);
            double zi = z[i];
            n[i] = ni;
            hOut[i] = (1.0 - zi) * ni + zi * hPrev[i];
        }
    }
}
