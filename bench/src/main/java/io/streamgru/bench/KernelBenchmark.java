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
 * {@code VectorVectorMult_DDRM}) and against the candidate formulations in {@link CandidateKernels}.
 * EJML gets its matrices as separate {@code DMatrixRMaj} objects (it cannot address a tensor inside
 * the model's one flat parameter array), which only favours it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {

    /** rows×cols: 3H×I and 3H×H for H = 32, 64, 128 and I = 8. */
    @Param({"96x8", "96x32", "192x8", "192x64", "384x8", "384x128"})
    public String shape;

    private int rows;
    private int cols;
    private double[] w;
    private double[] wt;
    private double[] x;
    private double[] b;
    private double[] y;
    private double[] dy;
    private double[] dx;
    private double[] g;
    private double[] s0;
    private double[] s1;
    private double[] s2;
    private double[] s3;
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
        w = fill(random, rows * cols);
        x = fill(random, cols);
        b = fill(random, rows);
        dy = fill(random, rows);
        y = new double[rows];
        dx = new double[cols];
        g = new double[rows * cols];
        wt = new double[rows * cols];
        CandidateKernels.transpose(w, 0, rows, cols, wt);
        s0 = new double[rows];
        s1 = new double[rows];
        s2 = new double[rows];
        s3 = new double[rows];
        mW = DMatrixRMaj.wrap(rows, cols, w.clone());
        mX = DMatrixRMaj.wrap(cols, 1, x.clone());
        mY = new DMatrixRMaj(rows, 1);
        mDy = DMatrixRMaj.wrap(rows, 1, dy.clone());
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

    /** The candidates must be bit-identical to DenseKernels.gemv; EJML must agree to rounding. */
    private void checkAgreement() {
        double[] ref = new double[rows];
        DenseKernels.gemv(w, 0, rows, cols, x, 0, b, 0, ref, 0);
        double[] other = new double[rows];
        CandidateKernels.gemvRows4(w, 0, rows, cols, x, 0, b, 0, other, 0);
        requireIdentical(ref, other, "gemvRows4");
        CandidateKernels.gemvTransposedCopy(wt, rows, cols, x, 0, b, 0, other, 0, s0, s1, s2, s3);
        requireIdentical(ref, other, "gemvTransposedCopy");
        CandidateKernels.gemvTransposedCopySplit(wt, rows, cols, x, 0, b, 0, other, 0, s0, s1, s2, s3);
        requireIdentical(ref, other, "gemvTransposedCopySplit");
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
                throw new IllegalStateException(what + " differs from DenseKernels.gemv at " + i + ": " + a[i] + " vs " + b[i]);
            }
        }
    }

    // ---- y = W x + b ---------------------------------------------------------------------------

    @Benchmark
    public double[] gemvHand() {
        DenseKernels.gemv(w, 0, rows, cols, x, 0, b, 0, y, 0);
        return y;
    }

    @Benchmark
    public double[] gemvRows4() {
        CandidateKernels.gemvRows4(w, 0, rows, cols, x, 0, b, 0, y, 0);
        return y;
    }

    @Benchmark
    public double[] gemvTransposedCopy() {
        CandidateKernels.gemvTransposedCopy(wt, rows, cols, x, 0, b, 0, y, 0, s0, s1, s2, s3);
        return y;
    }

    @Benchmark
    public double[] gemvTransposedCopySplit() {
        CandidateKernels.gemvTransposedCopySplit(wt, rows, cols, x, 0, b, 0, y, 0, s0, s1, s2, s3);
        return y;
    }

    /** The cost of refreshing the transposed copy (once per parameter update). */
    @Benchmark
    public double[] transposeCopy() {
        CandidateKernels.transpose(w, 0, rows, cols, wt);
        return wt;
    }

    /** EJML with the bias: y := b, then y += W x ({@code MatrixVectorMult_DDRM.multAdd}). */
    @Benchmark
    public DMatrixRMaj gemvEjml() {
        return ejmlGemv();
    }

    private DMatrixRMaj ejmlGemv() {
        System.arraycopy(b, 0, mY.data, 0, rows);
        MatrixVectorMult_DDRM.multAdd(mW, mX, mY);
        return mY;
    }

    /** EJML's general entry point {@code CommonOps_DDRM.mult} (no bias). */
    @Benchmark
    public DMatrixRMaj gemvEjmlCommonOps() {
        CommonOps_DDRM.mult(mW, mX, mY);
        return mY;
    }

    // ---- dx += Wᵀ dy ---------------------------------------------------------------------------

    @Benchmark
    public double[] gemvTransposedAddHand() {
        DenseKernels.gemvTransposedAdd(w, 0, rows, cols, dy, 0, dx, 0);
        return dx;
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

    // ---- G += dy xᵀ ----------------------------------------------------------------------------

    @Benchmark
    public double[] outerAddHand() {
        DenseKernels.outerAdd(dy, 0, rows, x, 0, cols, g, 0);
        return g;
    }

    @Benchmark
    public DMatrixRMaj outerAddEjml() {
        VectorVectorMult_DDRM.addOuterProd(1.0, mDy, mX, mG);
        return mG;
    }
}
