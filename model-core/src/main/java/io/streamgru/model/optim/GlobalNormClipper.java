package io.streamgru.model.optim;

/**
 * Rescales a gradient so its global L2 norm is at most {@code maxNorm}, like
 * {@code torch.nn.utils.clip_grad_norm_(params, maxNorm)}:
 * {@code coef = maxNorm / (norm + 1e-6)}, and the gradient is multiplied by {@code coef} only if
 * {@code coef < 1}.
 *
 * <p>torch takes the norm of the per-tensor norms, which is mathematically the L2 norm of all
 * elements concatenated; on one flat array this computes it as a plain sum of squares followed by
 * one square root. The result agrees with torch's to rounding (torch sums in a different order),
 * not necessarily bit for bit.
 */
public final class GlobalNormClipper {

    /** torch's guard against division by a zero norm; it also makes the bound slightly strict. */
    static final double EPSILON = 1e-6;

    private final double maxNorm;

    public GlobalNormClipper(double maxNorm) {
        this.maxNorm = Require.positive("maxNorm", maxNorm);
    }

    public double maxNorm() {
        return maxNorm;
    }

    /** The global L2 norm of {@code grads[0..size)}, as a plain sum of squares and one square root. */
    public static double norm(double[] grads, int size) {
        double sumOfSquares = 0;
        for (int i = 0; i < size; i++) {
            sumOfSquares += grads[i] * grads[i];
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * Clips {@code grads[0..size)} in place.
     *
     * @return the norm before clipping. If it is NaN the gradient is left unchanged (torch would
     *     turn it all into NaN), if it is infinite the gradient becomes zero (as in torch); callers
     *     are expected to reject non-finite gradients before clipping.
     */
    public double clip(double[] grads, int size) {
        double norm = norm(grads, size);
        clipGivenNorm(grads, size, norm);
        return norm;
    }

    /** The scaling half of {@link #clip}, for callers that already computed {@code norm}. */
    void clipGivenNorm(double[] grads, int size, double norm) {
        double coef = maxNorm / (norm + EPSILON);
        if (coef < 1) {
            for (int i = 0; i < size; i++) {
                grads[i] = grads[i] * coef;
            }
        }
    }

    @Override
    public String toString() {
        return "GlobalNormClipper[maxNorm=" + maxNorm + "]";
    }
}
