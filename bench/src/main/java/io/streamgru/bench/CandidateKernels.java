package io.streamgru.bench;

/**
 * Alternative formulations of {@code y = b + W x} evaluated in {@link KernelBenchmark}. All of them
 * reproduce the summation order of the original {@code DenseKernels.gemv} (four partial sums per
 * row over j mod 4, combined as {@code b + ((s0 + s1) + (s2 + s3))}), so they are bit-identical.
 */
final class CandidateKernels {

    private CandidateKernels() {
    }

    /** Four rows at a time, 4 partial sums each (16 independent chains, x loaded once per 4 rows). */
    static void gemvRows4(double[] w, int wOff, int rows, int cols, double[] x, int xOff,
                          double[] b, int bOff, double[] y, int yOff) {
        int i = 0;
        int main = cols & ~3;
        for (; i + 3 < rows; i += 4) {
            int w0 = wOff + i * cols;
            int w1 = w0 + cols;
            int w2 = w1 + cols;
            int w3 = w2 + cols;
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            double b0 = 0, b1 = 0, b2 = 0, b3 = 0;
            double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
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
            y[yOff + i] = b[bOff + i] + io.streamgru.model.gru.DenseKernels.dot(w, wOff + i * cols, x, xOff, cols);
        }
    }

    /**
     * AXPY form over a transposed copy {@code wt} (cols×rows, i.e. column j of W is row j of wt):
     * column j is added into partial-sum vector {@code j mod 4}; unit stride, so C2 vectorises it.
     */
    static void gemvTransposedCopy(double[] wt, int rows, int cols, double[] x, int xOff,
                                   double[] b, int bOff, double[] y, int yOff,
                                   double[] s0, double[] s1, double[] s2, double[] s3) {
        java.util.Arrays.fill(s0, 0, rows, 0.0);
        java.util.Arrays.fill(s1, 0, rows, 0.0);
        java.util.Arrays.fill(s2, 0, rows, 0.0);
        java.util.Arrays.fill(s3, 0, rows, 0.0);
        int main = cols & ~3;
        for (int j = 0; j < main; j += 4) {
            double x0 = x[xOff + j];
            double x1 = x[xOff + j + 1];
            double x2 = x[xOff + j + 2];
            double x3 = x[xOff + j + 3];
            int c0 = j * rows;
            int c1 = c0 + rows;
            int c2 = c1 + rows;
            int c3 = c2 + rows;
            for (int i = 0; i < rows; i++) {
                s0[i] += wt[c0 + i] * x0;
                s1[i] += wt[c1 + i] * x1;
                s2[i] += wt[c2 + i] * x2;
                s3[i] += wt[c3 + i] * x3;
            }
        }
        for (int j = main; j < cols; j++) {
            double xj = x[xOff + j];
            int c = j * rows;
            for (int i = 0; i < rows; i++) {
                s0[i] += wt[c + i] * xj;
            }
        }
        for (int i = 0; i < rows; i++) {
            y[yOff + i] = b[bOff + i] + ((s0[i] + s1[i]) + (s2[i] + s3[i]));
        }
    }

    /** Same as {@link #gemvTransposedCopy} with one column per AXPY pass (4 separate loops per block). */
    static void gemvTransposedCopySplit(double[] wt, int rows, int cols, double[] x, int xOff,
                                        double[] b, int bOff, double[] y, int yOff,
                                        double[] s0, double[] s1, double[] s2, double[] s3) {
        java.util.Arrays.fill(s0, 0, rows, 0.0);
        java.util.Arrays.fill(s1, 0, rows, 0.0);
        java.util.Arrays.fill(s2, 0, rows, 0.0);
        java.util.Arrays.fill(s3, 0, rows, 0.0);
        int main = cols & ~3;
        for (int j = 0; j < main; j += 4) {
            axpy(x[xOff + j], wt, j * rows, s0, rows);
            axpy(x[xOff + j + 1], wt, (j + 1) * rows, s1, rows);
            axpy(x[xOff + j + 2], wt, (j + 2) * rows, s2, rows);
            axpy(x[xOff + j + 3], wt, (j + 3) * rows, s3, rows);
        }
        for (int j = main; j < cols; j++) {
            axpy(x[xOff + j], wt, j * rows, s0, rows);
        }
        for (int i = 0; i < rows; i++) {
            y[yOff + i] = b[bOff + i] + ((s0[i] + s1[i]) + (s2[i] + s3[i]));
        }
    }

    private static void axpy(double a, double[] x, int xOff, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[xOff + i];
        }
    }

    /** {@code wt = Wᵀ}: W rows×cols at {@code w[wOff]} into {@code wt} (cols×rows). */
    static void transpose(double[] w, int wOff, int rows, int cols, double[] wt) {
        for (int i = 0; i < rows; i++) {
            int src = wOff + i * cols;
            for (int j = 0; j < cols; j++) {
                wt[j * rows + i] = w[src + j];
            }
        }
    }
}
