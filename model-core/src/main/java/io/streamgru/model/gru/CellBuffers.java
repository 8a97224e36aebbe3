package io.streamgru.model.gru;

import static io.streamgru.model.gru.DenseKernels.copyColumns;
import static io.streamgru.model.gru.DenseKernels.copyRows;
import static io.streamgru.model.gru.DenseKernels.storeColumns;

/**
 * Zero-offset working copies of one GRU layer's weights and gradient, so that the forward and
 * backward kernels of {@link GruCell} run as AXPY loops C2 vectorises (see {@link DenseKernels}).
 * A {@link TruncatedBptt} on a {@link GruModel} loads the live parameters into its own at the start
 * of every run, so a run always sees the current model; a {@link PreparedModel} loads them (rows
 * included, for the runs on it) at each refresh, so a run on it copies no weights.
 */
final class CellBuffers {

    final int in;
    final int h;
    final int h3;

    /**
     * Columns of W_ih (in × 3H) and W_hh (H × 3H), for the forward products; null where the packed
     * copy below holds every row (the forward product then reads none of them).
     */
    final double[][] wIhCols;
    final double[][] wHhCols;
    /** W_ih and W_hh in the order the chosen kernels' forward product also reads ({@link ProductKernels#pack}; null if none). */
    final double[] wIhPacked;
    final double[] wHhPacked;
    /** Rows of W_hh (3H × H), for ∂L/∂h = W_hhᵀ δ; rows of W_ih (3H × in) only where ∂L/∂x is needed. */
    final double[][] wHhRows;
    final double[][] wIhRows;
    final double[] bIh;
    final double[] bHh;

    /**
     * W_ih's gradient as columns (in × 3H) while a run accumulates into it, for a narrow input
     * ({@code in < }{@value #COLUMN_GRADIENT_BELOW}), so its updates are long vectorised passes
     * instead of 3H tiny ones; null otherwise. The other weights' gradients are row-major in the
     * flat gradient already, and their sums go there directly.
     */
    static final int COLUMN_GRADIENT_BELOW = 32;

    final double[][] gIhCols;
    /** The biases' gradients, zero-offset (C2 vectorises their per-step sums only so). */
    final double[] gBIh;
    final double[] gBHh;
    /** Scratch of one gradient row ({@link ProductKernels#accumulateRows}). */
    final double[] gradientRow;

    /**
     * @param rows          also keep the rows the backward pass reads (W_hh's; W_ih's with {@code inputGradient})
     * @param gradients     also allocate the gradient buffers a backward pass accumulates into
     * @param inputGradient also keep W_ih's rows, for ∂L/∂x (every layer but the first)
     */
    CellBuffers(GruCell cell, boolean rows, boolean gradients, boolean inputGradient) {
        this.in = cell.inputSize();
        this.h = cell.hiddenSize();
        this.h3 = 3 * h;
        wIhPacked = packed(h3, in);
        wHhPacked = packed(h3, h);
        wIhCols = wIhPacked != null && wIhPacked.length == h3 * in ? null : new double[in][h3];
        wHhCols = wHhPacked != null && wHhPacked.length == h3 * h ? null : new double[h][h3];
        wHhRows = rows ? new double[h3][h] : null;
        wIhRows = rows && inputGradient ? new double[h3][in] : null;
        bIh = new double[h3];
        bHh = new double[h3];
        gIhCols = gradients && in < COLUMN_GRADIENT_BELOW ? new double[in][h3] : null;
        gBIh = gradients ? new double[h3] : null;
        gBHh = gradients ? new double[h3] : null;
        gradientRow = gradients ? new double[Math.max(in, h)] : null;
    }

    private static double[] packed(int rows, int cols) {
        int length = Kernels.PRODUCTS.packedLength(rows, cols);
        return length == 0 ? null : new double[length];
    }

    void loadWeights(double[] p, GruCell cell) {
        if (wIhCols != null) {
            copyColumns(p, cell.weightIhOffset(), h3, in, wIhCols);
        }
        if (wHhCols != null) {
            copyColumns(p, cell.weightHhOffset(), h3, h, wHhCols);
        }
        if (wIhPacked != null) {
            Kernels.PRODUCTS.pack(p, cell.weightIhOffset(), h3, in, wIhPacked);
        }
        if (wHhPacked != null) {
            Kernels.PRODUCTS.pack(p, cell.weightHhOffset(), h3, h, wHhPacked);
        }
        loadRows(p, cell);
        System.arraycopy(p, cell.biasIhOffset(), bIh, 0, h3);
        System.arraycopy(p, cell.biasHhOffset(), bHh, 0, h3);
    }

    /** Only the rows the backward pass reads. */
    private void loadRows(double[] p, GruCell cell) {
        if (wHhRows != null) {
            copyRows(p, cell.weightHhOffset(), h3, h, wHhRows);
        }
        if (wIhRows != null) {
            copyRows(p, cell.weightIhOffset(), h3, in, wIhRows);
        }
    }

    /**
     * Starts the buffers (W_ih's columns, if any; the biases) from the caller's gradient, so the
     * sums continue in the same order.
     */
    void loadGradient(double[] g, GruCell cell) {
        if (gIhCols != null) {
            copyColumns(g, cell.weightIhOffset(), h3, in, gIhCols);
        }
        System.arraycopy(g, cell.biasIhOffset(), gBIh, 0, h3);
        System.arraycopy(g, cell.biasHhOffset(), gBHh, 0, h3);
    }

    /** Writes the buffers back into the caller's gradient. */
    void storeGradient(double[] g, GruCell cell) {
        if (gIhCols != null) {
            storeColumns(gIhCols, h3, in, g, cell.weightIhOffset());
        }
        System.arraycopy(gBIh, 0, g, cell.biasIhOffset(), h3);
        System.arraycopy(gBHh, 0, g, cell.biasHhOffset(), h3);
    }
}
