package io.streamgru.app.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a prequential run produced, row by row, in arrival order, held whole (a run itself streams
 * its rows into a {@link ReportCollector}; a table is fed to one the same way): for row i, its key ({@code keys[i]}, an index into
 * {@code keyNames}), its time ({@code times[i]}: the 1-based row number for a file, or an event
 * time, named by {@code timeLabel}), the actual target ({@code actuals[i]}, NaN = unknown) and one
 * forecast per method ({@code forecasts.get(m)[i]}: the forecast made FOR row i's target, NaN =
 * none). Method 0 is the model; the others are baselines. A row is scored when its actual is known
 * and every method forecast it.
 */
public record ForecastTable(String timeLabel, List<String> keyNames, int[] keys, long[] times, double[] actuals,
                            List<Method> methods, List<double[]> forecasts) {

    /**
     * A forecaster in the table: a stable id (JSON keys), a readable label, and its parameters and
     * facts worth reporting (JSON-ready values, in order).
     */
    public record Method(String id, String label, Map<String, Object> details) {
        public Method {
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    public ForecastTable {
        int n = actuals.length;
        if (keys.length != n || times.length != n) {
            throw new IllegalArgumentException("keys, times and actuals disagree on the number of rows");
        }
        if (methods.isEmpty() || methods.size() != forecasts.size()) {
            throw new IllegalArgumentException("need one forecast column per method, and at least the model");
        }
        for (double[] f : forecasts) {
            if (f.length != n) {
                throw new IllegalArgumentException("a forecast column disagrees on the number of rows");
            }
        }
        for (int k : keys) {
            if (k < 0 || k >= keyNames.size()) {
                throw new IllegalArgumentException("key id " + k + " out of range");
            }
        }
        keyNames = List.copyOf(keyNames);
        methods = List.copyOf(methods);
        forecasts = List.copyOf(forecasts);
    }

    public int rows() {
        return actuals.length;
    }

    /** Row i counts in the metrics: its actual is known and every method made a forecast for it. */
    public boolean scored(int i) {
        if (!Double.isFinite(actuals[i])) {
            return false;
        }
        for (double[] f : forecasts) {
            if (Double.isNaN(f[i])) {
                return false;
            }
        }
        return true;
    }
}
