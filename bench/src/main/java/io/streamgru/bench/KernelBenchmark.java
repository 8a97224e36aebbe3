package io.streamgru.bench;

import io.streamgru.model.gru.DenseKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.mult.MatrixVectorMult_DDRM;
import org.ejml.dense.row.mult.VectorVectorMult_DDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GRU's dense kernels on its own shapes (W_ih is 3H×I, W_hh is 3H×H): the hand-written
 * {@link DenseKernels} against EJML 0.46 ({@code MatrixVectorMult_DDRM}, {@code CommonOps_DDRM},
 * {@code VectorVectorMult_DDRM}) and against the pre-tuning kernels in {@link BaselineKernels}.
 * The hand kernels work inside the model's flat parameter array (offset 37 here, as for a tensor
 * that is not the first) or on zero-offset row/column copies ({@code *Rows}/{@code *Columns});
 * EJML gets its matrices as separate {@code DMatrixRMaj} objects (it cannot address a tensor
 * inside one flat array), which only favours it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {

    private static final int OFF = 37;

    /** rows×cols: 3H×I and 3H×H for H = 32, 64, 128 and I = 8. */
    @Param({"96x8", "96x32", "192x8", "192x64", "384x8", "384x128"})
    public String shape;

    private int rows;
    private int cols;
    // Flat arrays with the tensors at offset OFF, like the model's parameter/gradient arrays.
    private double[] w;
    private double[] x;
    private double[] b;
    private double[] g;
    private double[] y;
    private double[] dy;
    private double[] dx;
    // Zero-offset copies as TruncatedBptt prepares them.
    private double[][] wCols;
    private double[][] wRows;
    private double[][] gRows;
    private double[] b0;
    private double[] x0;
    private double[] dx0;
    private double[] wtFlat;
    private double[] s0;
    private double[] s1;
    private double[] s2;
    private double[] s3;
    private double[] gh;
    private double[] hPrev;
    private double[] gr;
    private double[] gz;
    private double[] gn;
    private double[] ghn;
    private double[] hOut;
    private double[] t2;
    private double[] k2;
    private DMatrixRMaj mW;
    private DMatrixRMaj mX;
    private DMatrixRMaj mY;
    private DMatrixRMaj mDy;
    private DMatrixRMaj mDx;
    private DMatrixRMaj mG;

    @Setup
    public void setup() {
        String[] parts = shape.split("x");
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        SplittableRandom random = new SplittableRandom(11);
        w = fill(random, OFF + rows * cols);
        x = fill(random, OFF + cols);
        b = fill(random, OFF + rows);
        g = new double[OFF + rows * cols];
        y = new double[OFF + rows];
        dy = fill(random, OFF + rows);
        dx = new double[OFF + cols];
        wCols = new double[cols][rows];
        DenseKernels.copyColumns(w, OFF, rows, cols, wCols);
        wRows = new double[rows][cols];
        DenseKernels.copyRows(w, OFF, rows, cols, wRows);
        gRows = new double[rows][cols];
        b0 = java.util.Arrays.copyOfRange(b, OFF, OFF + rows);
        x0 = java.util.Arrays.copyOfRange(x, OFF, OFF + cols);
        dx0 = new double[cols];
        wtFlat = new double[rows * cols];
        for (int j = 0; j < cols; j++) {
            System.arraycopy(wCols[j], 0, wtFlat, j * rows, rows);
        }
        s0 = new double[rows];
        s1 = new double[rows];
        s2 = new double[rows];
        s3 = new double[rows];
        int h = rows / 3;
        gh = fill(random, rows);
        hPrev = fill(random, h);
        gr = new double[h];
        gz = new double[h];
        gn = new double[h];
        ghn = new double[h];
        hOut = new double[h];
        t2 = new double[2 * h];
        k2 = new double[2 * h];
        mW = DMatrixRMaj.wrap(rows, cols, java.util.Arrays.copyOfRange(w, OFF, OFF + rows * cols));
        mX = DMatrixRMaj.wrap(cols, 1, x0.clone());
        mY = new DMatrixRMaj(rows, 1);
        mDy = DMatrixRMaj.wrap(rows, 1, java.util.Arrays.copyOfRange(dy, OFF, OFF + rows));
        mDx = new DMatrixRMaj(cols, 1);
        mG = new DMatrixRMaj(rows, cols);
        checkAgreement();
    }

    private static double[] fill(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return v;
    }

    /** The hand forms must be bit-identical to each other; EJML (other summation order) agrees to rounding. */
    private void checkAgreement() {
        double[] ref = new double[rows];
        BaselineKernels.gemvDotPerRow(w, OFF, rows, cols, x, OFF, b, OFF, ref, 0);
        double[] other = new double[rows];
        DenseKernels.gemv(w, OFF, rows, cols, x, OFF, b, OFF, other, 0);
        requireIdentical(ref, other, "DenseKernels.gemv");
        DenseKernels.gemvColumns(wCols, rows, cols, x, OFF, b0, other, s1, s2, s3);
        requireIdentical(ref, other, "DenseKernels.gemvColumns");
        BaselineKernels.gemvTransposedFlat(wtFlat, rows, cols, x, OFF, b, OFF, other, 0, s0, s1, s2, s3);
        requireIdentical(ref, other, "gemvTransposedFlat");
        ejmlGemv();
        for (int i = 0; i < rows; i++) {
            if (Math.abs(mY.data[i] - ref[i]) > 1e-12) {
                throw new IllegalStateException("EJML disagrees at " + i);
            }
        }
    }

    private static void requireIdentical(double[] a, double[] b, String what) {
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                throw new IllegalStateException(what + " differs at " + i + ": " + a[i] + " vs " + b[i]);
            }
        }
    }

    // ---- y = W x + b (forward) ------------------------------------------------------------------

    /** Before tuning: one dot product per row. */
    @Benchmark
    public double[] gemvDotPerRow() {
        BaselineKernels.gemvDotPerRow(w, OFF, rows, cols, x, OFF, b, OFF, y, OFF);
        return y;
    }

    /** {@code DenseKernels.gemv}: four rows per pass (GruModel.step). */
    @Benchmark
    public double[] gemvHand() {
        DenseKernels.gemv(w, OFF, rows, cols, x, OFF, b, OFF, y, OFF);
        return y;
    }

    /** {@code DenseKernels.gemvColumns}: AXPY over zero-offset columns (TruncatedBptt). */
    @Benchmark
    public double[] gemvColumnsHand() {
        DenseKernels.gemvColumns(wCols, rows, cols, x, OFF, b0, s0, s1, s2, s3);
        return s0;
    }

    /** AXPY over a transposed copy in one flat array: not vectorised by C2 17 (different offsets). */
    @Benchmark
    public double[] gemvTransposedFlat() {
        BaselineKernels.gemvTransposedFlat(wtFlat, rows, cols, x, OFF, b, OFF, y, OFF, s0, s1, s2, s3);
        return y;
    }

    /** Preparing the columns (done once per chunk by TruncatedBptt). */
    @Benchmark
    public double[][] copyColumns() {
        DenseKernels.copyColumns(w, OFF, rows, cols, wCols);
        return wCols;
    }

    /** EJML with the bias: y := b, then y += W x ({@code MatrixVectorMult_DDRM.multAdd}). */
    @Benchmark
    public DMatrixRMaj gemvEjml() {
        return ejmlGemv();
    }

    private DMatrixRMaj ejmlGemv() {
        System.arraycopy(b0, 0, mY.data, 0, rows);
        MatrixVectorMult_DDRM.multAdd(mW, mX, mY);
        return mY;
    }

    /** EJML's general entry point {@code CommonOps_DDRM.mult} (no bias). */
    @Benchmark
    public DMatrixRMaj gemvEjmlCommonOps() {
        CommonOps_DDRM.mult(mW, mX, mY);
        return mY;
    }

    // ---- gates of a layer with H = rows / 3 (pre-activations gi = b0, gh) --------------------------

    /** Before tuning: per element σ over Math.exp (two branches) and Math.tanh (a native call on JDK 17). */
    @Benchmark
    public double[] gatesScalarMath() {
        BaselineKernels.gatesScalarMath(b0, gh, hPrev, rows / 3, gr, gz, gn, ghn, hOut);
        return hOut;
    }

    /** {@code DenseKernels.gates}: σ and tanh over a vectorisable expm1, in passes over the layer. */
    @Benchmark
    public double[] gatesVectorised() {
        DenseKernels.gates(b0, gh, hPrev, rows / 3, gr, gz, gn, ghn, hOut, t2, k2);
        return hOut;
    }

    // ---- dx += Wᵀ dy (backward, ∂L/∂h) ------------------------------------------------------

    /** {@code DenseKernels.gemvTransposedAdd} inside the flat array (before tuning; still used by the head). */
    @Benchmark
    public double[] gemvTransposedAddHand() {
        DenseKernels.gemvTransposedAdd(w, OFF, rows, cols, dy, OFF, dx, OFF);
        return dx;
    }

    /** {@code DenseKernels.gemvTransposedAddRows} on zero-offset rows (TruncatedBptt). */
    @Benchmark
    public double[] gemvTransposedAddRowsHand() {
        DenseKernels.gemvTransposedAddRows(wRows, rows, cols, mDy.data, dx0);
        return dx0;
    }

    @Benchmark
    public DMatrixRMaj gemvTransposedAddEjmlReorder() {
        MatrixVectorMult_DDRM.multAddTransA_reorder(mW, mDy, mDx);
        return mDx;
    }

    @Benchmark
    public DMatrixRMaj gemvTransposedAddEjmlSmall() {
        MatrixVectorMult_DDRM.multAddTransA_small(mW, mDy, mDx);
        return mDx;
    }

    @Benchmark
    public DMatrixRMaj gemvTransposedAddEjmlCommonOps() {
        CommonOps_DDRM.multAddTransA(mW, mDy, mDx);
        return mDx;
    }

    // ---- G += dy xᵀ (backward, weight gradient) -----------------------------------------------

    /** {@code DenseKernels.outerAdd} inside the flat gradient array (before tuning; still used by the head). */
    @Benchmark
    public double[] outerAddHand() {
        DenseKernels.outerAdd(dy, OFF, rows, x, OFF, cols, g, OFF);
        return g;
    }

    /** Into zero-offset gradient rows (what GruCell.accumulateGradients does per step). */
    @Benchmark
    public double[][] outerAddRowsHand() {
        BaselineKernels.outerAddRows(mDy.data, rows, x0, cols, gRows);
        return gRows;
    }

    @Benchmark
    public DMatrixRMaj outerAddEjml() {
        VectorVectorMult_DDRM.addOuterProd(1.0, mDy, mX, mG);
        return mG;
    }
}
