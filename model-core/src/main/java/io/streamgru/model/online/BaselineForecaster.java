package io.streamgru.model.online;

import java.util.Arrays;

/**
 * A naive forecaster run per key beside the model, with the model's timing (see
 * {@link SeriesLearner#observe}): when a record of a key arrives, it forecasts the target of that
 * key {@code horizon} records ahead, from the targets known by then; with horizon 0 it forecasts
 * the record's own target from the targets before it. {@link #observe} returns the forecast made
 * FOR the arriving record's target, exactly as {@link SeriesState#resolvedBaseline()} does for
 * persistence, so its output lines up row by row with {@link PrequentialEvaluation.Result}.
 *
 * <p>Keys are dense ids from 0 (as {@link SeriesDataset#series()}); each key keeps O(history)
 * doubles. A target that is not finite is unknown: it is neither used nor scored.
 */
public abstract class BaselineForecaster {

    /** One key's memory: the targets seen, record by record (unknown ones as NaN). */
    protected interface History {
        /** The next record's target (NaN = unknown). */
        void add(double target);

        /**
         * The forecast of the target {@code ahead} records after the last one added ({@code ahead}
         * ≥ 1); NaN when there is nothing to forecast from.
         */
        double forecast(int ahead);
    }

    private final int horizon;
    private History[] histories = new History[0];
    private double[][] pending = new double[0][];
    private long[] steps = new long[0];

    protected BaselineForecaster(int horizon) {
        if (horizon < 0) {
            throw new IllegalArgumentException("horizon must be >= 0, not " + horizon);
        }
        this.horizon = horizon;
    }

    /** A stable identifier, e.g. {@code seasonal_naive}. */
    public abstract String id();

    /** A readable name with its parameters, e.g. {@code seasonal naive (season 24)}. */
    public abstract String label();

    protected abstract History newHistory();

    public int horizon() {
        return horizon;
    }

    /**
     * The next record of series {@code key} with its target (NaN or infinite = unknown). Returns
     * the forecast that was made for this record's target: {@code horizon} records of this key
     * earlier, or for horizon 0 now, before the target is used. NaN when none was made (a key's
     * first {@code horizon} records) or there was nothing to make it from.
     */
    public final double observe(int key, double target) {
        ensureKey(key);
        History history = histories[key];
        double known = Double.isFinite(target) ? target : Double.NaN;
        if (horizon == 0) {
            double forecast = history.forecast(1);
            history.add(known);
            steps[key]++;
            return forecast;
        }
        history.add(known);
        int slot = (int) (steps[key]++ % horizon);
        double resolved = pending[key][slot];
        pending[key][slot] = history.forecast(horizon);
        return resolved;
    }

    /**
     * Runs over rows in arrival order ({@code series[i]} the key of row i, {@code targets[i]} its
     * target) and returns, per row, the forecast made for that row's target (NaN where none).
     */
    public final double[] run(int[] series, double[] targets) {
        if (series.length != targets.length) {
            throw new IllegalArgumentException("series and targets disagree on the number of rows");
        }
        double[] out = new double[targets.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = observe(series[i], targets[i]);
        }
        return out;
    }

    private void ensureKey(int key) {
        if (key < 0) {
            throw new IllegalArgumentException("key ids start at 0, not " + key);
        }
        if (key >= histories.length) {
            int n = Math.max(key + 1, histories.length * 2);
            int old = histories.length;
            histories = Arrays.copyOf(histories, n);
            pending = Arrays.copyOf(pending, n);
            steps = Arrays.copyOf(steps, n);
            for (int k = old; k < n; k++) {
                histories[k] = newHistory();
                double[] slots = new double[Math.max(1, horizon)];
                Arrays.fill(slots, Double.NaN);
                pending[k] = slots;
            }
        }
    }

    static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, not " + value);
        }
    }
}
