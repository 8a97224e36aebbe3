package io.streamgru.model.norm;

/**
 * Online z-score of {@code dims} values: per dimension a running count, mean and sum of squared
 * deviations (M2), updated with Welford's algorithm so it stays accurate over millions of records.
 *
 * <p>Each dimension keeps its own count, so a missing value (NaN) in one dimension skips only that
 * dimension's update. Infinite values are skipped too: one of them would turn the mean and M2 into
 * NaN for good.
 *
 * <p>Scale: the sample standard deviation {@code sqrt(M2 / (n - 1))}, and nothing else: no absolute
 * floor, so a series in units of 1e-9 is scaled exactly as the same series in units of 1e9. While the
 * scale is unknown or zero (fewer than two values, or all of them equal) every value normalises to
 * 0, the centre, and {@link #denormalize} returns the mean: a quantity whose spread is unknown is
 * taken to be at its mean, never divided by a made-up unit. Z-scores are clipped to ±{@value #MAX_Z}:
 * a value that far out (an early value scaled by the spread of a handful, a spike) enters a model as
 * a strong but bounded signal. The centre is the running mean, which is 0 before the first value.
 * NaN in gives NaN out.
 *
 * <p>{@link #freeze()} makes {@link #update} a no-op, for inference-only runs; {@link #importState}
 * and {@link #merge} still apply, since they are explicit. The frozen flag is not part of the
 * exported state. Not thread-safe. No method allocates except {@link #exportState()}.
 */
public final class WelfordNormalizer {

    /** A spread below this fraction of the mean's magnitude is rounding, not spread. */
    public static final double RELATIVE_RESOLUTION = 1e-13;

    /** The largest z-score {@link #normalize} returns, in magnitude. */
    public static final double MAX_Z = 10.0;

    private final int dims;
    private final long[] count;
    private final double[] mean;
    private final double[] m2;
    private boolean frozen;

    /** A normalizer with no observations yet: every dimension centres on 0 with scale 1. */
    public WelfordNormalizer(int dims) {
        if (dims < 1) {
            throw new IllegalArgumentException("dims must be >= 1, got " + dims);
        }
        this.dims = dims;
        this.count = new long[dims];
        this.mean = new double[dims];
        this.m2 = new double[dims];
    }

    public int dims() {
        return dims;
    }

    /** Adds {@code x[offset .. offset+dims)} to the statistics; non-finite entries are skipped. */
    public void update(double[] x, int offset) {
        checkRange(x, offset);
        if (frozen) {
            return;
        }
        for (int d = 0; d < dims; d++) {
            double v = x[offset + d];
            if (!Double.isFinite(v)) {
                continue;
            }
            long n = ++count[d];
            double delta = v - mean[d];
            mean[d] += delta / n;
            // delta and (v - new mean) share a sign, so M2 never goes negative through rounding.
            m2[d] += delta * (v - mean[d]);
        }
    }

    /** Writes the z-scores of {@code x[offset .. offset+dims)} to {@code out[outOffset ..]}; in place is fine. */
    public void normalize(double[] x, int offset, double[] out, int outOffset) {
        checkRange(x, offset);
        checkRange(out, outOffset);
        for (int d = 0; d < dims; d++) {
            out[outOffset + d] = normalize(x[offset + d], d);
        }
    }

    /** The z-score of {@code v} in dimension {@code dim}, clipped to ±{@value #MAX_Z}; 0 while the scale is 0. */
    public double normalize(double v, int dim) {
        double s = std(dim);
        if (!(s > 0)) {
            return Double.isNaN(v) ? v : 0.0;
        }
        double z = (v - mean[dim]) / s;
        return z > MAX_Z ? MAX_Z : z < -MAX_Z ? -MAX_Z : z;
    }

    /** The inverse of {@link #normalize(double, int)} under the current statistics. */
    public double denormalize(double v, int dim) {
        return v * std(dim) + mean(dim);
    }

    /** Running mean of dimension {@code dim}; 0 before its first value. */
    public double mean(int dim) {
        return mean[dim];
    }

    /**
     * The scale used by {@link #normalize}: the sample standard deviation; 0 while there are fewer
     * than two values, or when it is below {@value #RELATIVE_RESOLUTION} of the mean's magnitude —
     * the rounding of merged statistics of a constant, not a spread (merging batches of the constant
     * 0.3 leaves a deviation of ~1e-17, which would make 0.3 a z-score of 2).
     */
    public double std(int dim) {
        long n = count[dim];
        if (n < 2) {
            return 0.0;
        }
        double s = Math.sqrt(m2[dim] / (n - 1));
        return s <= RELATIVE_RESOLUTION * Math.abs(mean[dim]) ? 0.0 : s;
    }

    /**
     * Keeps the means and standard deviations but counts every dimension as at most {@code maxCount}
     * values, so statistics carried over from elsewhere (a fleet's, for one series) give way to new
     * values at that pace rather than after the original count.
     */
    public void limitCount(long maxCount) {
        if (maxCount < 2) {
            throw new IllegalArgumentException("maxCount must be >= 2, got " + maxCount);
        }
        for (int d = 0; d < dims; d++) {
            if (count[d] > maxCount) {
                m2[d] *= (maxCount - 1) / (double) (count[d] - 1);
                count[d] = maxCount;
            }
        }
    }

    /** Number of finite values seen in dimension {@code dim}. */
    public long count(int dim) {
        return count[dim];
    }

    /** Stops {@link #update} from changing the statistics. */
    public void freeze() {
        frozen = true;
    }

    /** Lets {@link #update} change the statistics again. */
    public void unfreeze() {
        frozen = false;
    }

    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Folds another normalizer's statistics into this one, as if this one had also seen all of its
     * values (Chan, Golub and LeVeque's pairwise update). {@code other} is unchanged.
     */
    public void merge(WelfordNormalizer other) {
        if (other.dims != dims) {
            throw new IllegalArgumentException("cannot merge " + other.dims + " dims into " + dims);
        }
        for (int d = 0; d < dims; d++) {
            long nb = other.count[d];
            if (nb == 0) {
                continue;
            }
            long na = count[d];
            if (na == 0) {
                count[d] = nb;
                mean[d] = other.mean[d];
                m2[d] = other.m2[d];
                continue;
            }
            long n = na + nb;
            double delta = other.mean[d] - mean[d];
            // Weighted mean rather than mean + delta*nb/n: better when the two counts are similar.
            mean[d] = (na * mean[d] + nb * other.mean[d]) / n;
            m2[d] += other.m2[d] + delta * delta * ((double) na * nb / n);
            count[d] = n;
        }
    }

    /** Length of the array {@link #exportState()} returns: {@code 1 + 3 * dims}. */
    public int stateSize() {
        return 1 + 3 * dims;
    }

    /**
     * The statistics as numbers: {@code [dims, count_0..count_{d-1}, mean_0.., m2_0..]}. Counts are
     * exact below 2^53; {@link #importState} restores the normalizer bit for bit.
     */
    public double[] exportState() {
        double[] state = new double[stateSize()];
        exportState(state, 0);
        return state;
    }

    /** Writes {@link #exportState()} into {@code dst} at {@code offset}, without allocating. */
    public void exportState(double[] dst, int offset) {
        if (offset < 0 || dst.length - offset < stateSize()) {
            throw new IllegalArgumentException("need " + stateSize() + " slots at offset " + offset
                    + " of an array of length " + dst.length);
        }
        dst[offset] = dims;
        for (int d = 0; d < dims; d++) {
            dst[offset + 1 + d] = count[d];
            dst[offset + 1 + dims + d] = mean[d];
            dst[offset + 1 + 2 * dims + d] = m2[d];
        }
    }

    /** Replaces the statistics with ones from {@link #exportState()}; validates before changing anything. */
    public void importState(double[] state) {
        if (state.length != stateSize() || state[0] != dims) {
            String header = state.length == 0 ? "none"
                    : state[0] == Math.rint(state[0]) ? Long.toString((long) state[0]) : Double.toString(state[0]);
            throw new IllegalArgumentException("state is for " + header + " dims and has " + state.length
                    + " numbers; this normalizer has " + dims + " dims and needs " + stateSize());
        }
        for (int d = 0; d < dims; d++) {
            double n = state[1 + d];
            double s = state[1 + 2 * dims + d];
            if (!(n >= 0) || n != Math.rint(n) || n > 0x1p53) {
                throw new IllegalArgumentException("count of dim " + d + " is not a whole number >= 0: " + n);
            }
            if (!(s >= 0) || !Double.isFinite(s) || !Double.isFinite(state[1 + dims + d])) {
                throw new IllegalArgumentException("mean or M2 of dim " + d + " is invalid: mean "
                        + state[1 + dims + d] + ", M2 " + s);
            }
        }
        for (int d = 0; d < dims; d++) {
            count[d] = (long) state[1 + d];
            mean[d] = state[1 + dims + d];
            m2[d] = state[1 + 2 * dims + d];
        }
    }

    private void checkRange(double[] x, int offset) {
        if (offset < 0 || x.length - offset < dims) {
            throw new IndexOutOfBoundsException("need " + dims + " values at offset " + offset
                    + " of an array of length " + x.length);
        }
    }
}
