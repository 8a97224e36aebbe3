package io.streamgru.model.drift;

import java.util.Objects;

/**
 * The Page-Hinkley test, exactly as River's current {@code river.drift.PageHinkley} (the one with
 * {@code mode}): a CUSUM of the deviations of each value from the running mean of the values since
 * the last detection.
 *
 * <pre>
 * n += 1;  mean += (1/n) (x - mean)                      (river.stats.Mean)
 * dev = x - mean
 * S+ = alpha S+ + dev - delta;   m+ = min(m+, S+)          (increases)
 * S- = alpha S- + dev + delta;   M- = max(M-, S-)          (decreases; M- starts at -1 as in River)
 * once n >= minInstances:  drift  if  S+ - m+ > threshold  (UP)
 *                                  or M- - S- > threshold  (DOWN)
 * </pre>
 *
 * <p>{@code delta} is the change of the mean that is tolerated (in the value's units) and
 * {@code threshold} (λ) the accumulated excess that counts as a drift (units × values); both are in
 * the units of the monitored value, which is why StreamGRU feeds errors in the loss's units
 * ({@link DriftDetector#absoluteError}). {@code alpha} is River's forgetting factor of the sums.
 * After a detection the next value starts a fresh test (mean and sums reset).
 *
 * <p>Direction: {@link DriftDirection#UP} by default, unlike River's {@code "both"}: on an error
 * stream only an increase is a drift worth acting on; a falling error is the model learning. The
 * numeric defaults are River's: {@code min_instances=30, delta=0.005, threshold=50,
 * alpha=1-0.0001}.
 *
 * <p>Agreement with River: same formulas, same order of floating-point operations, so the same
 * detections (tests: River's doctest stream, and a sequence derived by hand).
 */
public final class PageHinkley implements DriftDetector {

    /** River's defaults. */
    public static final int DEFAULT_MIN_INSTANCES = 30;
    public static final double DEFAULT_DELTA = 0.005;
    public static final double DEFAULT_THRESHOLD = 50.0;
    public static final double DEFAULT_ALPHA = 1 - 0.0001;

    /** First number of an exported state, so that a state of another detector is refused. */
    static final double STATE_TAG = 101;
    private static final int STATE_SIZE = 10;

    private final int minInstances;
    private final double delta;
    private final double threshold;
    private final double alpha;
    private final DriftDirection direction;

    private double n;
    private double mean;
    private double sumIncrease;
    private double sumDecrease;
    private double minIncrease;
    private double maxDecrease;
    private boolean drifted;
    /** A drift was detected: the next accepted value starts a fresh test. */
    private boolean restart;
    private long detections;

    /** River's defaults, monitoring increases. */
    public PageHinkley() {
        this(DEFAULT_MIN_INSTANCES, DEFAULT_DELTA, DEFAULT_THRESHOLD, DEFAULT_ALPHA, DriftDirection.UP);
    }

    /**
     * @param minInstances values (since the last detection) before a drift can be reported, {@code >= 1}
     * @param delta tolerated change of the mean, {@code >= 0}, in the value's units
     * @param threshold λ, {@code > 0}, in the value's units times values
     * @param alpha forgetting factor of the sums, in (0, 1]; 1 forgets nothing
     * @param direction which changes are reported
     */
    public PageHinkley(int minInstances, double delta, double threshold, double alpha, DriftDirection direction) {
        if (minInstances < 1) {
            throw new IllegalArgumentException("minInstances must be >= 1, got " + minInstances);
        }
        if (!(delta >= 0) || delta == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("delta must be finite and >= 0, got " + delta);
        }
        if (!(threshold > 0) || threshold == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("threshold must be finite and > 0, got " + threshold);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
        this.minInstances = minInstances;
        this.delta = delta;
        this.threshold = threshold;
        this.alpha = alpha;
        this.direction = Objects.requireNonNull(direction, "direction");
        restartTest();
    }

    private void restartTest() {
        n = 0;
        mean = 0;
        sumIncrease = 0;
        sumDecrease = 0;
        minIncrease = Double.POSITIVE_INFINITY;
        maxDecrease = -1; // River's initial value; the first S- (= delta) replaces it
    }

    @Override
    public boolean update(double x) {
        if (!Double.isFinite(x)) {
            drifted = false;
            return false;
        }
        if (restart) {
            restartTest();
            restart = false;
        }
        n += 1;
        mean += (1 / n) * (x - mean);
        double dev = x - mean;
        sumIncrease = alpha * sumIncrease + dev - delta;
        sumDecrease = alpha * sumDecrease + dev + delta;
        if (sumIncrease < minIncrease) {
            minIncrease = sumIncrease;
        }
        if (sumDecrease > maxDecrease) {
            maxDecrease = sumDecrease;
        }
        boolean drift = false;
        if (n >= minInstances) {
            boolean up = direction != DriftDirection.DOWN && sumIncrease - minIncrease > threshold;
            boolean down = direction != DriftDirection.UP && maxDecrease - sumDecrease > threshold;
            drift = up || down;
        }
        drifted = drift;
        if (drift) {
            detections++;
            restart = true;
        }
        return drift;
    }

    @Override
    public boolean drifted() {
        return drifted;
    }

    @Override
    public long detections() {
        return detections;
    }

    @Override
    public void reset() {
        restartTest();
        drifted = false;
        restart = false;
        detections = 0;
    }

    /** The test statistic for increases, {@code S+ - min S+}; drift (UP) when it exceeds the threshold. */
    public double increaseStatistic() {
        return n == 0 ? 0 : sumIncrease - minIncrease;
    }

    /** The test statistic for decreases, {@code max S- - S-}. */
    public double decreaseStatistic() {
        return n == 0 ? 0 : maxDecrease - sumDecrease;
    }

    /** Mean of the values since the last detection (0 before any). */
    public double mean() {
        return mean;
    }

    /** Values since the last detection (the one that fired included until the next value). */
    public long count() {
        return (long) n;
    }

    public int minInstances() {
        return minInstances;
    }

    public double delta() {
        return delta;
    }

    public double threshold() {
        return threshold;
    }

    public double alpha() {
        return alpha;
    }

    public DriftDirection direction() {
        return direction;
    }

    /**
     * {@code [101, n, mean, S+, S-, min S+, max S-, drifted, restart pending, detections]}; the
     * minimum is +∞ before the first value.
     */
    @Override
    public int stateLength() {
        return STATE_SIZE;
    }

    @Override
    public int maxStateLength() {
        return STATE_SIZE;
    }

    @Override
    public int exportState(double[] state) {
        state[0] = STATE_TAG;
        state[1] = n;
        state[2] = mean;
        state[3] = sumIncrease;
        state[4] = sumDecrease;
        state[5] = minIncrease;
        state[6] = maxDecrease;
        state[7] = drifted ? 1 : 0;
        state[8] = restart ? 1 : 0;
        state[9] = detections;
        return STATE_SIZE;
    }

    @Override
    public void importState(double[] state, int length) {
        Objects.requireNonNull(state, "state");
        if (length != STATE_SIZE || state.length < length || state[0] != STATE_TAG) {
            throw new IllegalArgumentException("not a PageHinkley state: expected " + STATE_SIZE
                    + " numbers starting with " + (int) STATE_TAG + ", got " + length
                    + (length > 0 && state.length > 0 ? " starting with " + state[0] : ""));
        }
        StateChecks.count("count", state[1]);
        for (int i = 2; i <= 4; i++) {
            StateChecks.finite("sum or mean", state[i]);
        }
        if (!(Double.isFinite(state[5]) || state[5] == Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("minimum of S+ must be finite or +Infinity, got " + state[5]);
        }
        StateChecks.finite("maximum of S-", state[6]);
        StateChecks.flag("drifted", state[7]);
        StateChecks.flag("restart", state[8]);
        StateChecks.count("detections", state[9]);
        n = state[1];
        mean = state[2];
        sumIncrease = state[3];
        sumDecrease = state[4];
        minIncrease = state[5];
        maxDecrease = state[6];
        drifted = state[7] == 1;
        restart = state[8] == 1;
        detections = (long) state[9];
    }

    @Override
    public String toString() {
        return "PageHinkley[minInstances=" + minInstances + ", delta=" + delta + ", threshold=" + threshold
                + ", alpha=" + alpha + ", direction=" + direction.label() + "]";
    }
}
