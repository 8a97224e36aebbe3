package io.streamgru.model.gru;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ProductKernels} with the JDK Vector API ({@code jdk.incubator.vector}), register-blocked:
 * a pass keeps a block of output elements (16 vectors of partial sums, 8 of ∂h, 4 × 4 of gradient
 * rows) in registers across the whole reduction, so each multiply-add costs about one load and
 * nothing is stored until the block is done. The reduction itself runs in the scalar kernels' order
 * for every output element (a multiply, then an add, never a fused multiply-add), so the results
 * are bit-identical to {@link ScalarProductKernels}'.
 *
 * <p>Only linked when the module is in the boot layer (the JVM started with
 * {@code --add-modules jdk.incubator.vector}); {@link Kernels} loads it reflectively. On JDK 17 the
 * API allocates unless C2 intrinsifies it, which it does for vectors of 256 and 512 bits; with a
 * smaller preferred shape {@link #usable()} is false and the scalar kernels are used.
 */
final class VectorProductKernels implements ProductKernels {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** 1023 + 2^52: adding it to an integer k in [-1023, 2^52) gives the double whose low bits are k + 1023. */
    private static final double EXPONENT_BIAS = 1023.0 + 0x1p52;

    VectorProductKernels() {
    }

    /** Whether C2 intrinsifies vectors of this machine's preferred shape (4 or more doubles). */
    static boolean usable() {
        return L >= 4;
    }

    @Override
    public String name() {
        return "vector (jdk.incubator.vector, " + S.vectorBitSize() + "-bit, " + L + " doubles)";
    }

    // ---- y = W x + b from columns -------------------------------------------------------------

    /** Narrower matrices stay with the scalar kernel (two passes with the sums in registers: as fast). */
    private static final int MIN_COLUMNS = 9;

    /**
     * Rows in blocks of 4L: block b holds, column after column, the 4L values of its rows
     * ({@code packed[b·cols·4L + j·4L + r] = W[b·4L + r][j]}), so a block's pass reads one contiguous
     * stretch (measured ~20 % faster than 64 column arrays when W is in L2, as at H = 64). Rows past
     * the last full block are read from the columns.
     */
    @Override
    public int packedLength(int rows, int cols) {
        return cols < MIN_COLUMNS ? 0 : (rows / (4 * L)) * 4 * L * cols;
    }

    @Override
    public void pack(double[] w, int off, int rows, int cols, double[] packed) {
        int block = 4 * L;
        int full = packedLength(rows, cols) == 0 ? 0 : rows / block;
        for (int bl = 0; bl < full; bl++) {
            int base = bl * cols * block;
            for (int r = 0; r < block; r++) {
                int src = off + (bl * block + r) * cols;
                for (int j = 0; j < cols; j++) {
                    packed[base + j * block + r] = w[src + j];
                }
            }
        }
    }

    @Override
    public void gemvColumns(double[][] c, double[] packed, int rows, int cols, double[] x, int xOff, double[] b,
                            double[] y, double[] s1, double[] s2, double[] s3) {
        if (cols < MIN_COLUMNS) {
            DenseKernels.gemvColumns(c, rows, cols, x, xOff, b, y, s1, s2, s3);
            return;
        }
        int main = cols & ~3;
        int i = 0;
        for (; i + 4 * L <= rows; i += 4 * L) {
            packedBlock(packed, i * cols, i, main, cols, x, xOff, b, y);
        }
        for (; i + L <= rows; i += L) {
            columnsOneVector(c, i, main, cols, x, xOff, b, y);
        }
        for (; i < rows; i++) {
            double t0 = 0;
            double t1 = 0;
            double t2 = 0;
            double t3 = 0;
            for (int j = 0; j < main; j += 4) {
                t0 += c[j][i] * x[xOff + j];
                t1 += c[j + 1][i] * x[xOff + j + 1];
                t2 += c[j + 2][i] * x[xOff + j + 2];
                t3 += c[j + 3][i] * x[xOff + j + 3];
            }
            for (int j = main; j < cols; j++) {
                t0 += c[j][i] * x[xOff + j];
            }
            y[i] = b[i] + ((t0 + t1) + (t2 + t3));
        }
    }

    /** Rows i .. i+4L (packed from {@code base}): the four partial sums of four row vectors, in registers across all columns. */
    private static void packedBlock(double[] c, int base, int i, int main, int cols, double[] x, int xOff,
                                    double[] b, double[] y) {
        int i1 = i + L;
        int i2 = i + 2 * L;
        int i3 = i + 3 * L;
        int block = 4 * L;
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector a0 = zero;
        DoubleVector a1 = zero;
        DoubleVector a2 = zero;
        DoubleVector a3 = zero;
        DoubleVector b0 = zero;
        DoubleVector b1 = zero;
        DoubleVector b2 = zero;
        DoubleVector b3 = zero;
        DoubleVector c0 = zero;
        DoubleVector c1 = zero;
        DoubleVector c2 = zero;
        DoubleVector c3 = zero;
        DoubleVector d0 = zero;
        DoubleVector d1 = zero;
        DoubleVector d2 = zero;
        DoubleVector d3 = zero;
        for (int j = 0; j < main; j += 4) {
            int o = base + j * block;
            DoubleVector xv = DoubleVector.broadcast(S, x[xOff + j]);
            a0 = a0.add(DoubleVector.fromArray(S, c, o).mul(xv));
            a1 = a1.add(DoubleVector.fromArray(S, c, o + L).mul(xv));
            a2 = a2.add(DoubleVector.fromArray(S, c, o + 2 * L).mul(xv));
            a3 = a3.add(DoubleVector.fromArray(S, c, o + 3 * L).mul(xv));
            o += block;
            xv = DoubleVector.broadcast(S, x[xOff + j + 1]);
            b0 = b0.add(DoubleVector.fromArray(S, c, o).mul(xv));
            b1 = b1.add(DoubleVector.fromArray(S, c, o + L).mul(xv));
            b2 = b2.add(DoubleVector.fromArray(S, c, o + 2 * L).mul(xv));
            b3 = b3.add(DoubleVector.fromArray(S, c, o + 3 * L).mul(xv));
            o += block;
            xv = DoubleVector.broadcast(S, x[xOff + j + 2]);
            c0 = c0.add(DoubleVector.fromArray(S, c, o).mul(xv));
            c1 = c1.add(DoubleVector.fromArray(S, c, o + L).mul(xv));
            c2 = c2.add(DoubleVector.fromArray(S, c, o + 2 * L).mul(xv));
            c3 = c3.add(DoubleVector.fromArray(S, c, o + 3 * L).mul(xv));
            o += block;
            xv = DoubleVector.broadcast(S, x[xOff + j + 3]);
            d0 = d0.add(DoubleVector.fromArray(S, c, o).mul(xv));
            d1 = d1.add(DoubleVector.fromArray(S, c, o + L).mul(xv));
            d2 = d2.add(DoubleVector.fromArray(S, c, o + 2 * L).mul(xv));
            d3 = d3.add(DoubleVector.fromArray(S, c, o + 3 * L).mul(xv));
        }
        for (int j = main; j < cols; j++) {
            int o = base + j * block;
            DoubleVector xv = DoubleVector.broadcast(S, x[xOff + j]);
            a0 = a0.add(DoubleVector.fromArray(S, c, o).mul(xv));
            a1 = a1.add(DoubleVector.fromArray(S, c, o + L).mul(xv));
            a2 = a2.add(DoubleVector.fromArray(S, c, o + 2 * L).mul(xv));
            a3 = a3.add(DoubleVector.fromArray(S, c, o + 3 * L).mul(xv));
        }
        DoubleVector.fromArray(S, b, i).add(a0.add(b0).add(c0.add(d0))).intoArray(y, i);
        DoubleVector.fromArray(S, b, i1).add(a1.add(b1).add(c1.add(d1))).intoArray(y, i1);
        DoubleVector.fromArray(S, b, i2).add(a2.add(b2).add(c2.add(d2))).intoArray(y, i2);
        DoubleVector.fromArray(S, b, i3).add(a3.add(b3).add(c3.add(d3))).intoArray(y, i3);
    }

    /** Rows i .. i+L: {@link #packedBlock} for one row vector, from the columns. */
    private static void columnsOneVector(double[][] c, int i, int main, int cols, double[] x, int xOff,
                                         double[] b, double[] y) {
        DoubleVector a = DoubleVector.zero(S);
        DoubleVector bb = a;
        DoubleVector cc = a;
        DoubleVector d = a;
        for (int j = 0; j < main; j += 4) {
            a = a.add(DoubleVector.fromArray(S, c[j], i).mul(x[xOff + j]));
            bb = bb.add(DoubleVector.fromArray(S, c[j + 1], i).mul(x[xOff + j + 1]));
            cc = cc.add(DoubleVector.fromArray(S, c[j + 2], i).mul(x[xOff + j + 2]));
            d = d.add(DoubleVector.fromArray(S, c[j + 3], i).mul(x[xOff + j + 3]));
        }
        for (int j = main; j < cols; j++) {
            a = a.add(DoubleVector.fromArray(S, c[j], i).mul(x[xOff + j]));
        }
        DoubleVector.fromArray(S, b, i).add(a.add(bb).add(cc.add(d))).intoArray(y, i);
    }

    // ---- dx += Wᵀ dy from rows ----------------------------------------------------------------

    @Override
    public void gemvTransposedAddRows(double[][] wRows, int rows, int cols, double[] dy, double[] dx) {
        int j = 0;
        for (; j + 8 * L <= cols; j += 8 * L) {
            transposedEightVectors(wRows, rows, dy, dx, j);
        }
        for (; j + L <= cols; j += L) {
            DoubleVector s = DoubleVector.fromArray(S, dx, j);
            for (int i = 0; i < rows; i++) {
                double d = dy[i];
                if (d != 0.0) {
                    s = s.add(DoubleVector.broadcast(S, d).mul(DoubleVector.fromArray(S, wRows[i], j)));
                }
            }
            s.intoArray(dx, j);
        }
        for (; j < cols; j++) {
            double s = dx[j];
            for (int i = 0; i < rows; i++) {
                double d = dy[i];
                if (d != 0.0) {
                    s += d * wRows[i][j];
                }
            }
            dx[j] = s;
        }
    }

    /** Columns j .. j+8L of dx in registers across all rows. */
    private static void transposedEightVectors(double[][] wRows, int rows, double[] dy, double[] dx, int j) {
        int j1 = j + L;
        int j2 = j + 2 * L;
        int j3 = j + 3 * L;
        int j4 = j + 4 * L;
        int j5 = j + 5 * L;
        int j6 = j + 6 * L;
        int j7 = j + 7 * L;
        DoubleVector s0 = DoubleVector.fromArray(S, dx, j);
        DoubleVector s1 = DoubleVector.fromArray(S, dx, j1);
        DoubleVector s2 = DoubleVector.fromArray(S, dx, j2);
        DoubleVector s3 = DoubleVector.fromArray(S, dx, j3);
        DoubleVector s4 = DoubleVector.fromArray(S, dx, j4);
        DoubleVector s5 = DoubleVector.fromArray(S, dx, j5);
        DoubleVector s6 = DoubleVector.fromArray(S, dx, j6);
        DoubleVector s7 = DoubleVector.fromArray(S, dx, j7);
        for (int i = 0; i < rows; i++) {
            double d = dy[i];
            if (d != 0.0) {
                double[] w = wRows[i];
                DoubleVector dv = DoubleVector.broadcast(S, d);
                s0 = s0.add(dv.mul(DoubleVector.fromArray(S, w, j)));
                s1 = s1.add(dv.mul(DoubleVector.fromArray(S, w, j1)));
                s2 = s2.add(dv.mul(DoubleVector.fromArray(S, w, j2)));
                s3 = s3.add(dv.mul(DoubleVector.fromArray(S, w, j3)));
                s4 = s4.add(dv.mul(DoubleVector.fromArray(S, w, j4)));
                s5 = s5.add(dv.mul(DoubleVector.fromArray(S, w, j5)));
                s6 = s6.add(dv.mul(DoubleVector.fromArray(S, w, j6)));
                s7 = s7.add(dv.mul(DoubleVector.fromArray(S, w, j7)));
            }
        }
        s0.intoArray(dx, j);
        s1.intoArray(dx, j1);
        s2.intoArray(dx, j2);
        s3.intoArray(dx, j3);
        s4.intoArray(dx, j4);
        s5.intoArray(dx, j5);
        s6.intoArray(dx, j6);
        s7.intoArray(dx, j7);
    }

    // ---- gradient rows: g[i] += Σ_t δ_t[i] v_t ------------------------------------------------

    @Override
    public void accumulateRows(double[][] delta, int steps, double[][] vs, double[] first, double[] g, int gOff,
                               int rows, int n, double[] row) {
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                rowsFourByFour(delta, steps, vs, first, g, gOff, n, i, j);
            }
            for (int k = i; k < i + 4; k++) {
                rowTail(delta, steps, vs, first, g, gOff + k * n, k, j, n);
            }
        }
        for (; i < rows; i++) {
            rowTail(delta, steps, vs, first, g, gOff + i * n, i, 0, n);
        }
    }

    /** Rows i .. i+4, columns j .. j+4L: sixteen vectors of sums in registers across all steps. */
    private static void rowsFourByFour(double[][] delta, int steps, double[][] vs, double[] first, double[] g,
                                       int gOff, int n, int i, int j) {
        int j1 = j + L;
        int j2 = j + 2 * L;
        int j3 = j + 3 * L;
        // Row i+k's column j at o_k + j.
        int o0 = gOff + i * n;
        int o1 = o0 + n;
        int o2 = o1 + n;
        int o3 = o2 + n;
        DoubleVector a0 = DoubleVector.fromArray(S, g, o0 + j);
        DoubleVector a1 = DoubleVector.fromArray(S, g, o0 + j1);
        DoubleVector a2 = DoubleVector.fromArray(S, g, o0 + j2);
        DoubleVector a3 = DoubleVector.fromArray(S, g, o0 + j3);
        DoubleVector b0 = DoubleVector.fromArray(S, g, o1 + j);
        DoubleVector b1 = DoubleVector.fromArray(S, g, o1 + j1);
        DoubleVector b2 = DoubleVector.fromArray(S, g, o1 + j2);
        DoubleVector b3 = DoubleVector.fromArray(S, g, o1 + j3);
        DoubleVector c0 = DoubleVector.fromArray(S, g, o2 + j);
        DoubleVector c1 = DoubleVector.fromArray(S, g, o2 + j1);
        DoubleVector c2 = DoubleVector.fromArray(S, g, o2 + j2);
        DoubleVector c3 = DoubleVector.fromArray(S, g, o2 + j3);
        DoubleVector d0 = DoubleVector.fromArray(S, g, o3 + j);
        DoubleVector d1 = DoubleVector.fromArray(S, g, o3 + j1);
        DoubleVector d2 = DoubleVector.fromArray(S, g, o3 + j2);
        DoubleVector d3 = DoubleVector.fromArray(S, g, o3 + j3);
        for (int t = steps - 1; t >= 0; t--) {
            double[] v = ScalarProductKernels.input(vs, first, t);
            double[] dt = delta[t];
            DoubleVector v0 = DoubleVector.fromArray(S, v, j);
            DoubleVector v1 = DoubleVector.fromArray(S, v, j1);
            DoubleVector v2 = DoubleVector.fromArray(S, v, j2);
            DoubleVector v3 = DoubleVector.fromArray(S, v, j3);
            double d = dt[i];
            if (d != 0.0) {
                DoubleVector dv = DoubleVector.broadcast(S, d);
                a0 = a0.add(dv.mul(v0));
                a1 = a1.add(dv.mul(v1));
                a2 = a2.add(dv.mul(v2));
                a3 = a3.add(dv.mul(v3));
            }
            d = dt[i + 1];
            if (d != 0.0) {
                DoubleVector dv = DoubleVector.broadcast(S, d);
                b0 = b0.add(dv.mul(v0));
                b1 = b1.add(dv.mul(v1));
                b2 = b2.add(dv.mul(v2));
                b3 = b3.add(dv.mul(v3));
            }
            d = dt[i + 2];
            if (d != 0.0) {
                DoubleVector dv = DoubleVector.broadcast(S, d);
                c0 = c0.add(dv.mul(v0));
                c1 = c1.add(dv.mul(v1));
                c2 = c2.add(dv.mul(v2));
                c3 = c3.add(dv.mul(v3));
            }
            d = dt[i + 3];
            if (d != 0.0) {
                DoubleVector dv = DoubleVector.broadcast(S, d);
                d0 = d0.add(dv.mul(v0));
                d1 = d1.add(dv.mul(v1));
                d2 = d2.add(dv.mul(v2));
                d3 = d3.add(dv.mul(v3));
            }
        }
        a0.intoArray(g, o0 + j);
        a1.intoArray(g, o0 + j1);
        a2.intoArray(g, o0 + j2);
        a3.intoArray(g, o0 + j3);
        b0.intoArray(g, o1 + j);
        b1.intoArray(g, o1 + j1);
        b2.intoArray(g, o1 + j2);
        b3.intoArray(g, o1 + j3);
        c0.intoArray(g, o2 + j);
        c1.intoArray(g, o2 + j1);
        c2.intoArray(g, o2 + j2);
        c3.intoArray(g, o2 + j3);
        d0.intoArray(g, o3 + j);
        d1.intoArray(g, o3 + j1);
        d2.intoArray(g, o3 + j2);
        d3.intoArray(g, o3 + j3);
    }

    /** Row i (at {@code g[row]}) from column j to n: one vector at a time, then element by element. */
    private static void rowTail(double[][] delta, int steps, double[][] vs, double[] first, double[] g, int row,
                                int i, int j, int n) {
        for (; j + L <= n; j += L) {
            DoubleVector a = DoubleVector.fromArray(S, g, row + j);
            for (int t = steps - 1; t >= 0; t--) {
                double d = delta[t][i];
                if (d != 0.0) {
                    a = a.add(DoubleVector.broadcast(S, d).mul(
                            DoubleVector.fromArray(S, ScalarProductKernels.input(vs, first, t), j)));
                }
            }
            a.intoArray(g, row + j);
        }
        for (; j < n; j++) {
            double s = g[row + j];
            for (int t = steps - 1; t >= 0; t--) {
                double d = delta[t][i];
                if (d != 0.0) {
                    s += d * ScalarProductKernels.input(vs, first, t)[j];
                }
            }
            g[row + j] = s;
        }
    }

    // ---- gradient columns: gCols[j][i] += Σ_t x_t[j] δ_t[i] -----------------------------------

    @Override
    public void accumulateColumns(double[][] delta, int steps, double[][] xs, double[][] gCols, int in, int rows) {
        int i = 0;
        for (; i + L <= rows; i += L) {
            int j = 0;
            for (; j + 3 < in; j += 4) {
                columnsFourByOne(delta, steps, xs, gCols, j, i);
            }
            for (; j < in; j++) {
                double[] g = gCols[j];
                DoubleVector a = DoubleVector.fromArray(S, g, i);
                for (int t = steps - 1; t >= 0; t--) {
                    DoubleVector d = DoubleVector.fromArray(S, delta[t], i);
                    VectorMask<Double> skip = d.compare(VectorOperators.EQ, 0.0);
                    a = a.add(DoubleVector.broadcast(S, xs[t][j]).mul(d)).blend(a, skip);
                }
                a.intoArray(g, i);
            }
        }
        for (; i < rows; i++) {
            for (int j = 0; j < in; j++) {
                double s = gCols[j][i];
                for (int t = steps - 1; t >= 0; t--) {
                    double d = delta[t][i];
                    if (d != 0.0) {
                        s += xs[t][j] * d;
                    }
                }
                gCols[j][i] = s;
            }
        }
    }

    /** Columns j .. j+4, elements i .. i+L; a lane whose δ is zero keeps its sum (blend). */
    private static void columnsFourByOne(double[][] delta, int steps, double[][] xs, double[][] gCols, int j, int i) {
        double[] g0 = gCols[j];
        double[] g1 = gCols[j + 1];
        double[] g2 = gCols[j + 2];
        double[] g3 = gCols[j + 3];
        DoubleVector a0 = DoubleVector.fromArray(S, g0, i);
        DoubleVector a1 = DoubleVector.fromArray(S, g1, i);
        DoubleVector a2 = DoubleVector.fromArray(S, g2, i);
        DoubleVector a3 = DoubleVector.fromArray(S, g3, i);
        for (int t = steps - 1; t >= 0; t--) {
            DoubleVector d = DoubleVector.fromArray(S, delta[t], i);
            double[] x = xs[t];
            VectorMask<Double> skip = d.compare(VectorOperators.EQ, 0.0);
            a0 = a0.add(DoubleVector.broadcast(S, x[j]).mul(d)).blend(a0, skip);
            a1 = a1.add(DoubleVector.broadcast(S, x[j + 1]).mul(d)).blend(a1, skip);
            a2 = a2.add(DoubleVector.broadcast(S, x[j + 2]).mul(d)).blend(a2, skip);
            a3 = a3.add(DoubleVector.broadcast(S, x[j + 3]).mul(d)).blend(a3, skip);
        }
        a0.intoArray(g0, i);
        a1.intoArray(g1, i);
        a2.intoArray(g2, i);
        a3.intoArray(g3, i);
    }

    // ---- gates --------------------------------------------------------------------------------

    private static final double T13 = 1.0 / 6227020800.0;
    private static final double T12 = 1.0 / 479001600.0;
    private static final double T11 = 1.0 / 39916800.0;
    private static final double T10 = 1.0 / 3628800.0;
    private static final double T9 = 1.0 / 362880.0;
    private static final double T8 = 1.0 / 40320.0;
    private static final double T7 = 1.0 / 5040.0;
    private static final double T6 = 1.0 / 720.0;
    private static final double T5 = 1.0 / 120.0;
    private static final double T4 = 1.0 / 24.0;
    private static final double T3 = 1.0 / 6.0;

    /**
     * Two passes instead of the scalar form's eight: σ of the r and z rows, then tanh of the n row
     * with the new state, L units at a time with the exponential in registers. Element for element
     * the operations of {@link DenseKernels#gates} (the exponential is {@link DenseKernels#expm1(double)}'s,
     * written out in each loop: a helper taking or returning vectors that C2 does not inline would
     * allocate them); units past the last multiple of L through the scalar forms, which perform the
     * same operations.
     */
    @Override
    public void gates(double[] gi, double[] gh, double[] hPrev, int h, double[] r, double[] z, double[] n,
                      double[] ghn, double[] hOut, double[] t, double[] k) {
        int h2 = 2 * h;
        int i = 0;
        for (; i + L <= h2; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, gi, i).add(DoubleVector.fromArray(S, gh, i)).mul(-1.0);
            x = x.max(-DenseKernels.SIGMOID_LIMIT).min(DenseKernels.SIGMOID_LIMIT);
            DoubleVector kv = x.mul(DenseKernels.LOG2E).add(DenseKernels.ROUND).sub(DenseKernels.ROUND);
            DoubleVector rr = x.sub(kv.mul(DenseKernels.LN2_HI)).sub(kv.mul(DenseKernels.LN2_LO));
            DoubleVector p = rr.mul(T13).add(T12);
            p = p.mul(rr).add(T11).mul(rr).add(T10).mul(rr).add(T9).mul(rr).add(T8).mul(rr).add(T7);
            p = p.mul(rr).add(T6).mul(rr).add(T5).mul(rr).add(T4).mul(rr).add(T3).mul(rr).add(0.5);
            DoubleVector q = p.mul(rr).add(1.0).mul(rr);
            DoubleVector s = kv.add(EXPONENT_BIAS).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            DoubleVector e = s.mul(q).add(s.sub(1.0));
            DoubleVector.broadcast(S, 1.0).div(e.add(2.0)).intoArray(t, i);
        }
        for (; i < h2; i++) {
            t[i] = DenseKernels.sigmoid(gi[i] + gh[i]);
        }
        System.arraycopy(t, 0, r, 0, h);
        System.arraycopy(t, h, z, 0, h);
        i = 0;
        for (; i + L <= h; i += L) {
            DoubleVector rv = DoubleVector.fromArray(S, r, i);
            DoubleVector hn = DoubleVector.fromArray(S, gh, h2 + i);
            DoubleVector x = DoubleVector.fromArray(S, gi, h2 + i).add(rv.mul(hn)).mul(2.0);
            x = x.max(-DenseKernels.TANH_LIMIT).min(DenseKernels.TANH_LIMIT);
            DoubleVector kv = x.mul(DenseKernels.LOG2E).add(DenseKernels.ROUND).sub(DenseKernels.ROUND);
            DoubleVector rr = x.sub(kv.mul(DenseKernels.LN2_HI)).sub(kv.mul(DenseKernels.LN2_LO));
            DoubleVector p = rr.mul(T13).add(T12);
            p = p.mul(rr).add(T11).mul(rr).add(T10).mul(rr).add(T9).mul(rr).add(T8).mul(rr).add(T7);
            p = p.mul(rr).add(T6).mul(rr).add(T5).mul(rr).add(T4).mul(rr).add(T3).mul(rr).add(0.5);
            DoubleVector q = p.mul(rr).add(1.0).mul(rr);
            DoubleVector s = kv.add(EXPONENT_BIAS).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            DoubleVector e = s.mul(q).add(s.sub(1.0));
            DoubleVector nv = e.div(e.add(2.0));
            DoubleVector zv = DoubleVector.fromArray(S, z, i);
            nv.intoArray(n, i);
            hn.intoArray(ghn, i);
            DoubleVector.broadcast(S, 1.0).sub(zv).mul(nv).add(zv.mul(DoubleVector.fromArray(S, hPrev, i)))
                    .intoArray(hOut, i);
        }
        for (; i < h; i++) {
            double hn = gh[h2 + i];
            double ni = DenseKernels.tanh(gi[h2 + i] + r[i] * hn);
            double zi = z[i];
            n[i] = ni;
            ghn[i] = hn;
            hOut[i] = (1.0 - zi) * ni + zi * hPrev[i];
        }
    }

    // ---- 2^k ----------------------------------------------------------------------------------

    @Override
    public void powersOfTwo(double[] k, int n) {
        // k + (1023 + 2^52) is exact and its low 52 bits are k + 1023; shifted left by 52 they are
        // the exponent field of 2^k (the 2^52's bits are shifted out): the scalar form's bits.
        int i = 0;
        for (; i + L <= n; i += L) {
            DoubleVector.fromArray(S, k, i).add(EXPONENT_BIAS).reinterpretAsLongs()
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles().intoArray(k, i);
        }
        for (; i < n; i++) {
            k[i] = Double.longBitsToDouble(((long) k[i] + 1023L) << 52);
        }
    }
}
