package io.streamgru.model.interval;

import java.util.Arrays;

/**
 * A prediction interval around one series' point forecasts, calibrated online on the forecasts' own
 * absolute errors by adaptive conformal inference (Gibbs &amp; Candès 2021) in its quantile-tracking
 * form (Angelopoulos, Candès &amp; Tibshirani 2023, "Conformal PID control", the P term), with the
 * error scale of the series as the unit of the scores.
 *
 * <h2>The maths</h2>
 * <pre>
 * α = 1 − level                                   (0.1 for a 90 % interval)
 * m                                               the series' running mean absolute error (below)
 * interval issued with the forecast ŷ:            [ŷ − w, ŷ + w],   w = q · m   (q, m as they are now)
 * when its truth y arrives:  miss = 1 if |y − ŷ| &gt; w, else 0
 *                            q ← max(0, q + η (miss − α))
 *                            m ← m + (|y − ŷ| − m) / min(n, N)      (n: errors seen, N = {@value #SCALE_MEMORY})
 * </pre>
 * On the score scale s = |y − ŷ| / m (m as it was when the forecast was made), {@code miss = 1{s > q}}
 * and q is the online quantile tracker {@code q ← q + η (miss − α)} with a fixed step η =
 * {@value #STEP}. On the target's scale the threshold is {@code Q = q · m}: its step η · m is
 * proportional to the series' mean absolute error, so one η serves series in any units, and the
 * width follows a change of the error scale at once through m while q corrects what m gets wrong
 * (the shape of the error distribution, heavier tails, a sudden jump).
 *
 * <p>Start: q starts at {@code ln(1/α)}, the quantile the scores would have if the absolute errors
 * were exponential (Laplace errors; for Gaussian errors the right value is 2.06 at α = 0.1, for
 * exponential ones 2.30, so the start errs wide). There is no interval until the series has one
 * resolved error (m unknown): {@link #issue} returns NaN. m is the plain mean of the first N
 * errors, then an exponential average over about N.
 *
 * <h2>The guarantee, and what it assumes</h2>
 * Every resolution moves q by exactly η (miss − α), unless the projection at 0 lifts it, so for any
 * stretch of N consecutive resolutions of one series, whatever the data (drift, level shifts, an
 * adversary: no exchangeability, no stationarity):
 * <pre>
 *     misses / N  ≤  α + (q_end − q_start) / (η N)
 * </pre>
 * with equality while q stays above 0 (q reaches 0 only while the errors are far below their mean,
 * i.e. the interval over-covers). If the scores stay below some B, q never exceeds
 * {@code max(q_start, B + (d + 1) η)}, d the forecasts issued but not yet resolved at a resolution
 * ({@code horizon − 1}): a resolution raises q only when its forecast, issued with a q at most d
 * raises earlier, missed, i.e. that q was below s ≤ B. Hence the long-run miss rate is at most
 * {@code α + (B + (d + 1) η) / (η N)} → α, and, while q stays above 0, at least
 * {@code α − q_start / (η N)}: the long-run coverage of the issued intervals is {@code level} within
 * O(1 / N). Assumptions: (1) bounded scores: the series' absolute errors do not grow without bound
 * relative to its running mean absolute error (a single jump is fine: it raises q once, by at most
 * η (1 − α)); (2) the guarantee is the frequency of coverage over time for the series, not the
 * probability that any one interval covers (no conditional coverage); (3) forecasts whose truth never
 * arrives are not counted (they move nothing). With η = 0.05 and q ≈ 2 (α = 0.1), a swing of q by 0.5
 * between the ends of a stretch of 1,000 resolutions moves its coverage by 1 percentage point.
 *
 * <h2>State</h2>
 * q, m, n and the half-width issued with each unresolved forecast (one slot per step of the
 * horizon): {@code 3 + slots} numbers ({@link #exportState}); no allocation per record.
 * Not thread-safe.
 */
public final class ConformalInterval {

    /** η: the step of q on the score scale (units of the series' mean absolute error). */
    public static final double STEP = 0.05;
    /** N: how many errors the running mean absolute error averages over. */
    public static final int SCALE_MEMORY = 100;

    private final double level;
    private final double alpha;
    /** Half-widths issued with the unresolved forecasts, by slot; NaN: none issued. */
    private final double[] issued;
    private double quantile;
    private double scale;
    private double errors;

    /**
     * @param level the coverage aimed at, in (0, 1): 0.9 for 90 % intervals
     * @param slots forecasts that may await their truth at once (the horizon; 1 for horizon 0)
     */
    public ConformalInterval(double level, int slots) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("interval level must be in (0, 1), got " + level);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.level = level;
        this.alpha = 1 - level;
        this.issued = new double[slots];
        reset();
    }

    /** Forgets everything: the next interval comes after the next resolved error. */
    public void reset() {
        quantile = initialQuantile(alpha);
        scale = 0;
        errors = 0;
        Arrays.fill(issued, Double.NaN);
    }

    /** The starting q: the (1 − α) quantile of |e| / mean |e| for exponential absolute errors. */
    static double initialQuantile(double alpha) {
        return Math.log(1 / alpha);
    }

    public double level() {
        return level;
    }

    /**
     * The half-width of the interval of a forecast made now, remembered in {@code slot} until
     * {@link #resolve}; NaN while the series has no resolved error yet (no interval).
     */
    public double issue(int slot) {
        double width = errors == 0 ? Double.NaN : quantile * scale;
        issued[slot] = width;
        return width;
    }

    /** The half-width issued with the forecast in {@code slot} (NaN: none). */
    public double issued(int slot) {
        return issued[slot];
    }

    /**
     * The truth of the forecast in {@code slot} arrived with this absolute error: calibrates q (when
     * that forecast had an interval) and the error scale. A non-finite error (a forecast or truth
     * that is not known) changes nothing.
     *
     * @return whether the forecast's interval covered its truth; false when it had none
     */
    public boolean resolve(int slot, double absoluteError) {
        double width = issued[slot];
        issued[slot] = Double.NaN;
        if (!Double.isFinite(absoluteError)) {
            return false;
        }
        boolean covered = false;
        if (!Double.isNaN(width)) {
            covered = absoluteError <= width;
            quantile = Math.max(0, quantile + STEP * ((covered ? 0 : 1) - alpha));
        }
        errors = Math.min(errors + 1, SCALE_MEMORY);
        scale += (absoluteError - scale) / errors;
        return covered;
    }

    /** q: the current threshold on the score scale. */
    public double quantile() {
        return quantile;
    }

    /** m: the running mean absolute error (0 before the first error). */
    public double scale() {
        return scale;
    }

    /** Numbers in an exported state. */
    public int stateLength() {
        return 3 + issued.length;
    }

    /** Writes q, m, n and the issued half-widths into {@code out} from 0; returns {@link #stateLength()}. */
    public int exportState(double[] out) {
        out[0] = quantile;
        out[1] = scale;
        out[2] = errors;
        System.arraycopy(issued, 0, out, 3, issued.length);
        return stateLength();
    }

    /**
     * Restores an exported state of {@code length} numbers; a state of another length (another
     * horizon) or with impossible values is refused with IllegalArgumentException.
     */
    public void importState(double[] in, int length) {
        if (length != stateLength()) {
            throw new IllegalArgumentException("interval state of " + length + " numbers, expected " + stateLength());
        }
        if (!(in[0] >= 0) || !(in[1] >= 0) || !(in[2] >= 0 && in[2] <= SCALE_MEMORY)
                || Double.isInfinite(in[0]) || Double.isInfinite(in[1])) {
            throw new IllegalArgumentException("interval state out of range: q " + in[0] + ", m " + in[1] + ", n " + in[2]);
        }
        quantile = in[0];
        scale = in[1];
        errors = in[2];
        System.arraycopy(in, 3, issued, 0, issued.length);
    }
}
