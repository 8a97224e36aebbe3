package io.streamgru.bench;

/**
 * Kernels kept only for comparison in {@link KernelBenchmark}: the original {@code gemv} (one
 * four-accumulator dot product per row, as model-core had it before tuning) and an AXPY-form gemv
 * over a transposed copy held in ONE flat array, which shows that C2 (JDK 17) leaves an AXPY loop
 * scalar when its arrays are indexed with different offsets. All are bit-identical to
 * {@code DenseKernels.gemv}.
 */
final class BaselineKernels {

    private BaselineKernels() {
    }

    /** The pre-tuning {@code DenseKernels.gemv}: one dot product per row. */
    static void gemvDotPerRow(double[] w, int wOff, int rows, int cols, double[] x, int xOff,
                              double[] b, int bOff, double[] y, int yOff) {
        for (int i = 0; i < rows; i++) {
            y[yOff + i] = b[bOff + i] + dot(w, wOff + i * cols, x, xOff, cols);
        }
    }

    private static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
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
     * AXPY form over a transposed copy {@code wt} (cols×rows in one flat array): column j lives at
     * {@code wt[j * rows ..]}, so the loop reads {@code wt[c + i]} but writes {@code s[i]}.
     */
    static void gemvTransposedFlat(double[] wt, int rows, int cols, double[] x, int xOff,
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

    /** The pre-tuning gate loop: per element two-branch σ over {@code Math.exp} and {@code Math.tanh}. */
    static void gatesScalarMath(double[] gi, double[] gh, double[] hPrev, int h, double[] r, double[] z,
                                double[] n, double[] ghn, double[] hOut) {
        for (int i = 0; i < h; i++) {
            double ri = sigmoid(gi[i] + gh[i]);
            double zi = sigmoid(gi[h + i] + gh[h + i]);
            double hn = gh[2 * h + i];
            double ni = Math.tanh(gi[2 * h + i] + ri * hn);
            r[i] = ri;
            z[i] = zi;
            n[i] = ni;
            ghn[i] = hn;
            hOut[i] = (1.0 - zi) * ni + zi * hPrev[i];
        }
    }

    private static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    /** {@code G += dy xᵀ} into zero-offset gradient rows (what {@code GruCell.accumulateGradients} runs). */
    static void outerAddRows(double[] dy, int rows, double[] x, int cols, double[][] g) {
        for (int i = 0; i < rows; i++) {
            double d = dy[i];
            if (d != 0.0) {
                io.streamgru.model.gru.DenseKernels.axpy(d, x, g[i], cols);
            }
        }
    }
}
