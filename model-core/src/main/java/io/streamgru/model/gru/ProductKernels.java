package io.streamgru.model.gru;

/**
 * The products that dominate a GRU training step (forward W x, backward Wᵀ δ, the chunk's
 * parameter-gradient sums) and the gates' activations, with one
 * implementation per instruction set: {@link ScalarProductKernels} (loops C2 auto-vectorises) and
 * {@link VectorProductKernels} (the JDK Vector API). {@link Kernels} chooses one per JVM.
 *
 * <p>Every implementation performs, for every output element, the same floating-point operations in
 * the same order (documented per method), so they are interchangeable bit for bit: they differ only
 * in how many output elements one pass keeps in registers.
 */
interface ProductKernels {

    /**
     * {@code y = W x + b} from W's columns ({@code wCols[j]} is column j, {@code rows} long;
     * {@code b}, {@code y} from index 0): per row, {@code b + ((s0 + s1) + (s2 + s3))}, where
     * {@code s_k} sums, from 0.0 and in increasing j, the terms {@code c_j x_j} of the columns
     * {@code j ≡ k (mod 4)} below the last multiple of 4, and {@code s0} then the remaining columns
     * in order (what {@link DenseKernels#dot} does). {@code packed} is W as {@link #pack} left it (or
     * null when {@link #packedLength} is 0); {@code wCols} may be null when the packed copy holds all
     * {@code rows × cols} values; {@code s1..s3} are scratch of {@code rows}.
     */
    void gemvColumns(double[][] wCols, double[] packed, int rows, int cols, double[] x, int xOff, double[] b,
                     double[] y, double[] s1, double[] s2, double[] s3);

    /**
     * Length of the copy of a rows×cols matrix, in this implementation's own order, that
     * {@link #gemvColumns} reads besides (or instead of) the columns; 0 when it reads none.
     */
    int packedLength(int rows, int cols);

    /** Fills {@code packed} ({@link #packedLength} long) from W, rows×cols row-major at {@code w[off]}. */
    void pack(double[] w, int off, int rows, int cols, double[] packed);

    /**
     * {@code dx += Wᵀ dy} from W's rows ({@code wRows[i]} is row i): per element, the terms
     * {@code dy_i w_ij} added one by one in increasing i, rows with {@code dy_i == 0} skipped
     * ({@link DenseKernels#gemvTransposedAdd}).
     */
    void gemvTransposedAddRows(double[][] wRows, int rows, int cols, double[] dy, double[] dx);

    /**
     * {@code g_i += Σ_t δ_t[i] v_t} for every row {@code i < rows} of a row-major rows×n matrix at
     * {@code g[gOff]} (row i at {@code gOff + i·n}: a gradient tensor in place in the flat
     * gradient), over the first {@code n} elements: per element the terms for t = steps-1 down to 0
     * in that order, each added to the running sum, a term with {@code δ_t[i] == 0} skipped.
     * {@code v_t} is {@code vs[t]} when {@code first} is null, else the step's input state:
     * {@code first} for t = 0 and {@code vs[t-1]} after. {@code row} is scratch of at least
     * {@code n} (C2 vectorises a loop over {@code g[gOff + j]} and {@code v[j]} only with equal
     * offsets, so the scalar kernels sum each row in a copy).
     */
    void accumulateRows(double[][] delta, int steps, double[][] vs, double[] first, double[] g, int gOff, int rows,
                        int n, double[] row);

    /**
     * {@code gCols[j][i] += Σ_t x_t[j] δ_t[i]} for {@code j < in}, {@code i < rows} (a gradient held
     * as columns): per element the terms for t = steps-1 down to 0, a term with {@code δ_t[i] == 0}
     * skipped.
     */
    void accumulateColumns(double[][] delta, int steps, double[][] xs, double[][] gCols, int in, int rows);

    /**
     * {@code k[i] = 2^k[i]} in place for {@code i < n}, each {@code k[i]} an integer in
     * [-1022, 1023] (as {@code Double.longBitsToDouble(((long) k + 1023) << 52)}).
     */
    void powersOfTwo(double[] k, int n);

    /**
     * A GRU layer's gates from its pre-activations: what {@link DenseKernels#gates} computes, element
     * for element the same operations ({@code t}, {@code k}: scratch of 2h).
     */
    void gates(double[] gi, double[] gh, double[] hPrev, int h, double[] r, double[] z, double[] n, double[] ghn,
               double[] hOut, double[] t, double[] k);

    /** A short name for logs and benchmark reports. */
    String name();
}
