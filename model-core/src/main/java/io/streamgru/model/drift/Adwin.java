package io.streamgru.model.drift;

import java.util.Arrays;
import java.util.Objects;

/**
 * ADWIN (ADaptive WINdowing), Bifet &amp; Gavaldà 2007, in its ADWIN2 form with exponential
 * histograms, as River's {@code river.drift.ADWIN} (its Cython {@code AdaptiveWindowing}).
 *
 * <p>The window holds every value since the last detection, compressed into buckets: row {@code i}
 * holds up to {@code maxBuckets} buckets of 2^i values each (total and variance); when a row
 * overflows, its two oldest buckets merge into one of the next row. Every {@code clock} values
 * (once the window is longer than {@code gracePeriod}) every split of the window at a bucket
 * boundary into an older part W0 and a newer part W1, each at least {@code minWindowLength} long, is
 * tested: the split is significant when
 *
 * <pre>
 * |mean(W0) - mean(W1)| &gt; sqrt(2 (1/m0 + 1/m1) σ² δ') + (2/3) δ' (1/m0 + 1/m1),
 * mᵢ = nᵢ - minWindowLength + 1,   σ² = the window's variance,   δ' = ln(2 ln(width) / delta)
 * </pre>
 *
 * and while some split is, the oldest bucket is dropped. A significant split is a drift. As River,
 * the next value then starts an empty window.
 *
 * <p>Direction: ADWIN tests both ways. With {@link DriftDirection#UP} (StreamGRU's default for error
 * streams) a significant split whose newer part has the lower mean still shrinks the window, as the
 * algorithm requires, but is not reported, so the window does not restart; {@link DriftDirection#BOTH}
 * reproduces River. Defaults are River's: {@code delta=0.002, clock=32, max_buckets=5,
 * min_window_length=5, grace_period=10}.
 *
 * <p>The second term of the bound assumes values of order 1 (the paper's values are in [0, 1]):
 * values much smaller than 1 make ADWIN insensitive, another reason to monitor the error in the
 * loss's units ({@link DriftDetector#absoluteError}).
 *
 * <p>Memory is fixed at construction ({@value #MAX_ROWS} rows, enough for 2^62 values), so
 * {@link #update} allocates nothing; a check costs O(rows × maxBuckets), about log2(width) × 5.
 */
public final class Adwin implements DriftDetector {

    public static final double DEFAULT_DELTA = 0.002;
    public static final int DEFAULT_CLOCK = 32;
    public static final int DEFAULT_MAX_BUCKETS = 5;
    public static final int DEFAULT_MIN_WINDOW_LENGTH = 5;
    public static final int DEFAULT_GRACE_PERIOD = 10;

    /** Rows of buckets; row i holds buckets of 2^i values. */
    static final int MAX_ROWS = 62;
    static final double STATE_TAG = 201;
    private static final int HEADER = 10;

    private final double delta;
    private final int clock;
    private final int maxBuckets;
    private final int minWindowLength;
    private final int gracePeriod;
    private final DriftDirection direction;

    /** Row r, slot k (0 = oldest of the row) at r * slots + k. */
    private final int slots;
    private final double[] totals;
    private final double[] variances;
    private final int[] counts = new int[MAX_ROWS];
    private int rows;

    private long tick;
    private double width;
    private double total;
    private double variance;
    private boolean drifted;
    private boolean restart;
    private long detections;

    /** River's defaults, reporting increases. */
    public Adwin() {
        this(DEFAULT_DELTA, DriftDirection.UP);
    }

    public Adwin(double delta, DriftDirection direction) {
        this(delta, DEFAULT_CLOCK, DEFAULT_MAX_BUCKETS, DEFAULT_MIN_WINDOW_LENGTH, DEFAULT_GRACE_PERIOD, direction);
    }

    /**
     * @param delta significance, in (0, 1): a smaller delta means fewer false alarms and later detections
     * @param clock values between two checks, {@code >= 1}
     * @param maxBuckets buckets per row before two merge, {@code >= 2}
     * @param minWindowLength shortest part W0 or W1 a split may leave, {@code >= 1}
     * @param gracePeriod no check while the window is at most this long, {@code >= 0}
     * @param direction which changes are reported
     */
    public Adwin(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod,
                 DriftDirection direction) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        if (clock < 1) {
            throw new IllegalArgumentException("clock must be >= 1, got " + clock);
        }
        if (maxBuckets < 2) {
            throw new IllegalArgumentException("maxBuckets must be >= 2, got " + maxBuckets);
        }
        if (minWindowLength < 1) {
            throw new IllegalArgumentException("minWindowLength must be >= 1, got " + minWindowLength);
        }
        if (gracePeriod < 0) {
            throw new IllegalArgumentException("gracePeriod must be >= 0, got " + gracePeriod);
        }
        this.delta = delta;
        this.clock = clock;
        this.maxBuckets = maxBuckets;
        this.minWindowLength = minWindowLength;
        this.gracePeriod = gracePeriod;
        this.direction = Objects.requireNonNull(direction, "direction");
        this.slots = maxBuckets + 1;
        this.totals = new double[MAX_ROWS * slots];
        this.variances = new double[MAX_ROWS * slots];
        emptyWindow();
    }

    private void emptyWindow() {
        Arrays.fill(totals, 0.0);
        Arrays.fill(variances, 0.0);
        Arrays.fill(counts, 0);
        rows = 1;
        tick = 0;
        width = 0;
        total = 0;
        variance = 0;
    }

    @Override
    public boolean update(double value) {
        if (!Double.isFinite(value)) {
            drifted = false;
            return false;
        }
        if (restart) {
            emptyWindow();
            restart = false;
        }
        insert(value);
        boolean drift = detectChange();
        drifted = drift;
        if (drift) {
            detections++;
            restart = true;
        }
        return drift;
    }

    private void insert(double value) {
        append(0, value, 0.0);
        width += 1;
        if (width > 1.0) {
            double d = value - total / (width - 1.0);
            variance += (width - 1.0) * d * d / width;
        }
        total += value;
        compress();
    }

    private void append(int row, double t, double v) {
        int k = counts[row]++;
        totals[row * slots + k] = t;
        variances[row * slots + k] = v;
    }

    /** Drops the {@code n} oldest buckets of a row. */
    private void dropOldest(int row, int n) {
        int base = row * slots;
        int remaining = counts[row] - n;
        System.arraycopy(totals, base + n, totals, base, remaining);
        System.arraycopy(variances, base + n, variances, base, remaining);
        for (int k = remaining; k < counts[row]; k++) {
            totals[base + k] = 0.0;
            variances[base + k] = 0.0;
        }
        counts[row] = remaining;
    }

    /** Merges the two oldest buckets of a full row into the next, as far up as rows overflow. */
    private void compress() {
        for (int row = 0; row < rows && counts[row] == maxBuckets + 1; row++) {
            if (row + 1 == rows) {
                if (rows == MAX_ROWS) {
                    throw new IllegalStateException("ADWIN window exceeds 2^" + MAX_ROWS + " values");
                }
                rows++;
            }
            int base = row * slots;
            double n1 = Math.scalb(1.0, row);
            double mu1 = totals[base] / n1;
            double mu2 = totals[base + 1] / n1;
            double total12 = totals[base] + totals[base + 1];
            double temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2);
            double v12 = variances[base] + variances[base + 1] + temp;
            append(row + 1, total12, v12);
            dropOldest(row, 2);
        }
    }

    /** Removes the oldest bucket; returns its length. */
    private double deleteOldest() {
        int row = rows - 1;
        int base = row * slots;
        double n = Math.scalb(1.0, row);
        double u = totals[base];
        double mu = u / n;
        double v = variances[base];
        width -= n;
        total -= u;
        double muWindow = total / width;
        variance -= v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
        dropOldest(row, 1);
        if (counts[row] == 0 && rows > 1) {
            rows--;
        }
        return n;
    }

    private boolean detectChange() {
        tick++;
        if (tick % clock != 0 || !(width > gracePeriod)) {
            return false;
        }
        boolean report = false;
        boolean reduce = true;
        while (reduce) {
            reduce = false;
            double n0 = 0;
            double n1 = width;
            double u0 = 0;
            double u1 = total;
            scan:
            for (int row = rows - 1; row >= 0; row--) {
                double size = Math.scalb(1.0, row);
                int base = row * slots;
                int count = counts[row];
                for (int k = 0; k < count; k++) {
                    double t = totals[base + k];
                    n0 += size;
                    n1 -= size;
                    u0 += t;
                    u1 -= t;
                    if (row == 0 && k == count - 1) {
                        break scan; // W1 would be empty
                    }
                    double deltaMean = u0 / n0 - u1 / n1;
                    if (n1 >= minWindowLength && n0 >= minWindowLength && significant(n0, n1, deltaMean)) {
                        reduce = true;
                        report |= direction.reports(deltaMean < 0);
                        if (width > 0) {
                            deleteOldest();
                        }
                        break scan;
                    }
                }
            }
        }
        return report;
    }

    private boolean significant(double n0, double n1, double deltaMean) {
        double deltaPrime = Math.log(2 * Math.log(width) / delta);
        double mRecip = 1.0 / (n0 - minWindowLength + 1) + 1.0 / (n1 - minWindowLength + 1);
        double epsilon = Math.sqrt(2 * mRecip * (variance / width) * deltaPrime) + 2.0 / 3.0 * deltaPrime * mRecip;
        return Math.abs(deltaMean) > epsilon;
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
        emptyWindow();
        drifted = false;
        restart = false;
        detections = 0;
    }

    /** Values in the window (since the last detection, less what shrinking dropped). */
    public long width() {
        return (long) width;
    }

    /** Sum of the values in the window (River's {@code total}). */
    public double total() {
        return total;
    }

    /** Mean of the window; 0 when empty (River's {@code estimation}). */
    public double estimation() {
        return width == 0 ? 0.0 : total / width;
    }

    /** Sum of squared deviations from the window's mean (River's {@code variance}, not divided by the width). */
    public double variance() {
        return variance;
    }

    /** Buckets in the window. */
    public int buckets() {
        int b = 0;
        for (int r = 0; r < rows; r++) {
            b += counts[r];
        }
        return b;
    }

    public double delta() {
        return delta;
    }

    public int clock() {
        return clock;
    }

    public int maxBuckets() {
        return maxBuckets;
    }

    public int minWindowLength() {
        return minWindowLength;
    }

    public int gracePeriod() {
        return gracePeriod;
    }

    public DriftDirection direction() {
        return direction;
    }

    /**
     * {@code [201, maxBuckets, tick, width, total, variance, drifted, restart pending, detections,
     * rows]}, then per row (row 0, the newest values, first) its bucket count c and c totals and c
     * variances, oldest first: 10 + rows + 2 × buckets numbers.
     */
    @Override
    public int stateLength() {
        return HEADER + rows + 2 * buckets();
    }

    @Override
    public int maxStateLength() {
        return HEADER + MAX_ROWS + 2 * MAX_ROWS * maxBuckets;
    }

    @Override
    public int exportState(double[] state) {
        int length = stateLength();
        if (state.length < length) {
            throw new IllegalArgumentException("state array of " + state.length + " numbers; " + length + " needed");
        }
        state[0] = STATE_TAG;
        state[1] = maxBuckets;
        state[2] = tick;
        state[3] = width;
        state[4] = total;
        state[5] = variance;
        state[6] = drifted ? 1 : 0;
        state[7] = restart ? 1 : 0;
        state[8] = detections;
        state[9] = rows;
        int p = HEADER;
        for (int r = 0; r < rows; r++) {
            int c = counts[r];
            state[p++] = c;
            System.arraycopy(totals, r * slots, state, p, c);
            p += c;
            System.arraycopy(variances, r * slots, state, p, c);
            p += c;
        }
        return length;
    }

    @Override
    public void importState(double[] state, int length) {
        Objects.requireNonNull(state, "state");
        if (length > state.length) {
            throw new IllegalArgumentException("length " + length + " exceeds the array's " + state.length);
        }
        if (length < HEADER + 1 || state[0] != STATE_TAG) {
            throw new IllegalArgumentException("not an ADWIN state (expected at least " + (HEADER + 1)
                    + " numbers starting with " + (int) STATE_TAG + ")");
        }
        if (state[1] != maxBuckets) {
            throw new IllegalArgumentException("state is of an ADWIN with maxBuckets " + state[1] + ", this one has " + maxBuckets);
        }
        StateChecks.count("tick", state[2]);
        StateChecks.count("width", state[3]);
        StateChecks.finite("total", state[4]);
        StateChecks.finite("variance", state[5]);
        StateChecks.flag("drifted", state[6]);
        StateChecks.flag("restart", state[7]);
        StateChecks.count("detections", state[8]);
        double r = state[9];
        if (!(r >= 1 && r <= MAX_ROWS) || r != Math.rint(r)) {
            throw new IllegalArgumentException("rows must be a whole number in [1, " + MAX_ROWS + "], got " + r);
        }
        int newRows = (int) r;
        // Validate the whole layout before changing anything.
        int p = HEADER;
        double impliedWidth = 0;
        for (int row = 0; row < newRows; row++) {
            if (p >= length) {
                throw new IllegalArgumentException("state ends before row " + row);
            }
            double c = state[p];
            if (!(c >= 0 && c <= maxBuckets) || c != Math.rint(c)) {
                throw new IllegalArgumentException("row " + row + " has " + c + " buckets; at most " + maxBuckets);
            }
            int count = (int) c;
            if (p + 1 + 2 * count > length) {
                throw new IllegalArgumentException("state ends inside row " + row);
            }
            for (int i = p + 1; i < p + 1 + 2 * count; i++) {
                StateChecks.finite("bucket statistic", state[i]);
            }
            impliedWidth += count * Math.scalb(1.0, row);
            p += 1 + 2 * count;
        }
        if (p != length) {
            throw new IllegalArgumentException("state has " + (length - p) + " numbers after its last row");
        }
        if (impliedWidth != state[3]) {
            throw new IllegalArgumentException("buckets hold " + impliedWidth + " values but the width is " + state[3]);
        }
        Arrays.fill(totals, 0.0);
        Arrays.fill(variances, 0.0);
        Arrays.fill(counts, 0);
        p = HEADER;
        for (int row = 0; row < newRows; row++) {
            int c = (int) state[p++];
            counts[row] = c;
            System.arraycopy(state, p, totals, row * slots, c);
            p += c;
            System.arraycopy(state, p, variances, row * slots, c);
            p += c;
        }
        rows = newRows;
        tick = (long) state[2];
        width = state[3];
        total = state[4];
        variance = state[5];
        drifted = state[6] == 1;
        restart = state[7] == 1;
        detections = (long) state[8];
    }

    @Override
    public String toString() {
        return "Adwin[delta=" + delta + ", clock=" + clock + ", maxBuckets=" + maxBuckets + ", minWindowLength="
                + minWindowLength + ", gracePeriod=" + gracePeriod + ", direction=" + direction.label() + "]";
    }
}
