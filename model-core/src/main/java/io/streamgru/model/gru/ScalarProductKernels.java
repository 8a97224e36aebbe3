package io.streamgru.model.gru;

/**
 * {@link ProductKernels} as plain Java loops that C2 auto-vectorises (see {@link DenseKernels}):
 * the fallback where the Vector API is not available, and the reference the vector kernels are
 * tested against.
 */
final class ScalarProductKernels implements ProductKernels {

    static final ScalarProductKernels INSTANCE = new ScalarProductKernels();

    private ScalarProductKernels() {
    }

    @Override
    public void gemvColumns(double[][] wCols, double[] packed, int rows, int cols, double[] x, int xOff, double[] b,
                            double[] y, double[] s1, double[] s2, double[] s3) {
        DenseKernels.gemvColumns(wCols, rows, cols, x, xOff, b, y, s1, s2, s3);
    }

    @Override
    public int packedLength(int rows, int cols) {
        return 0;
    }

    @Override
    public void pack(double[] w, int off, int rows, int cols, double[] packed) {
    }

    @Override
    public void gemvTransposedAddRows(double[][] wRows, int rows, int cols, double[] dy, double[] dx) {
        DenseKernels.gemvTransposedAddRows(wRows, rows, cols, dy, dx);
    }

    @Override
    public void accumulateRows(double[][] delta, int steps, double[][] vs, double[] first, double[] g, int gOff,
                               int rows, int n, double[] row) {
        for (int i = 0; i < rows; i++) {
            // In a zero-offset copy: C2 17 leaves y[off + j] += a x[j] scalar (2.3x slower, probe).
            System.arraycopy(g, gOff + i * n, row, 0, n);
            addSteps(delta, i, steps, vs, first, row, n);
            System.arraycopy(row, 0, g, gOff + i * n, n);
        }
    }

    /**
     * One gradient row: four steps per vectorised pass ({@link DenseKernels#axpy4}) where none of the
     * four δ is zero.
     */
    private static void addSteps(double[][] delta, int i, int steps, double[][] vs, double[] first, double[] g, int n) {
        int t = steps - 1;
        for (; t >= 3; t -= 4) {
            double d0 = delta[t][i];
            double d1 = delta[t - 1][i];
            double d2 = delta[t - 2][i];
            double d3 = delta[t - 3][i];
            if (d0 != 0.0 && d1 != 0.0 && d2 != 0.0 && d3 != 0.0) {
                DenseKernels.axpy4(d0, input(vs, first, t), d1, input(vs, first, t - 1), d2, input(vs, first, t - 2),
                        d3, input(vs, first, t - 3), g, n);
            } else {
                for (int k = t; k > t - 4; k--) {
                    if (delta[k][i] != 0.0) {
                        DenseKernels.axpy(delta[k][i], input(vs, first, k), g, n);
                    }
                }
            }
        }
        for (; t >= 0; t--) {
            if (delta[t][i] != 0.0) {
                DenseKernels.axpy(delta[t][i], input(vs, first, t), g, n);
            }
        }
    }

    /** {@code v_t} of {@link #accumulateRows}. */
    static double[] input(double[][] vs, double[] first, int t) {
        if (first == null) {
            return vs[t];
        }
        return t == 0 ? first : vs[t - 1];
    }

    /**
     * As passes over {@code rows} elements, four steps per pass where possible; a step whose δ has
     * zeros is added element by element, skipping them.
     */
    @Override
    public void accumulateColumns(double[][] delta, int steps, double[][] xs, double[][] gCols, int in, int rows) {
        int t = steps - 1;
        while (t >= 0) {
            if (t >= 3 && nonZero(delta[t], rows) && nonZero(delta[t - 1], rows) && nonZero(delta[t - 2], rows)
                    && nonZero(delta[t - 3], rows)) {
                double[] x0 = xs[t];
                double[] x1 = xs[t - 1];
                double[] x2 = xs[t - 2];
                double[] x3 = xs[t - 3];
                for (int j = 0; j < in; j++) {
                    DenseKernels.axpy4(x0[j], delta[t], x1[j], delta[t - 1], x2[j], delta[t - 2], x3[j], delta[t - 3],
                            gCols[j], rows);
                }
                t -= 4;
                continue;
            }
            double[] d = delta[t];
            double[] x = xs[t];
            if (nonZero(d, rows)) {
                for (int j = 0; j < in; j++) {
                    DenseKernels.axpy(x[j], d, gCols[j], rows);
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    if (d[i] != 0.0) {
                        for (int j = 0; j < in; j++) {
                            gCols[j][i] += d[i] * x[j];
                        }
                    }
                }
            }
            t--;
        }
    }

    private static boolean nonZero(double[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (v[i] == 0.0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void powersOfTwo(double[] k, int n) {
        // A scalar pass: C2 17 vectorises no double-to-long conversion.
        for (int i = 0; i < n; i++) {
            k[i] = Double.longBitsToDouble(((long) k[i] + 1023L) << 52);
        }
    }

    @Override
    public void gates(double[] gi, double[] gh, double[] hPrev, int h, double[] r, double[] z, double[] n,
                      double[] ghn, double[] hOut, double[] t, double[] k) {
        DenseKernels.gates(gi, gh, hPrev, h, r, z, n, ghn, hOut, t, k);
    }

    @Override
    public String name() {
        return "scalar";
    }
}
