package io.streamgru.app.evaluate;

import io.streamgru.model.online.BaselineForecaster;
import io.streamgru.model.online.MovingAverage;
import io.streamgru.model.online.PrequentialEvaluation;
import io.streamgru.model.online.SeasonalNaive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a prequential run produced, row by row, in arrival order, independent of where the rows
 * came from (a CSV file here; a topic later): for row i, its key ({@code keys[i]}, an index into
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

    /**
     * The table of a CSV run: the model's and persistence's forecasts from {@code result}, then each
     * of {@code baselines} (fresh, of the run's horizon) run over the same rows. Times are 1-based
     * row numbers, as in {@code --predictions}.
     */
    public static ForecastTable of(CsvDataset dataset, PrequentialEvaluation.Result result,
                                   List<BaselineForecaster> baselines) {
        int[] series = dataset.data().series();
        double[] targets = dataset.data().targets();
        long[] times = new long[targets.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = i + 1;
        }
        List<Method> methods = new ArrayList<>();
        List<double[]> forecasts = new ArrayList<>();
        methods.add(new Method("model", "model", Map.of()));
        forecasts.add(result.predictions());
        methods.add(new Method("persistence", "persistence", Map.of()));
        forecasts.add(result.persistence());
        for (BaselineForecaster b : baselines) {
            double[] f = b.run(series, targets);
            methods.add(new Method(b.id(), b.label(), details(b)));
            forecasts.add(f);
        }
        return new ForecastTable("row", dataset.keyNames(), series, times, targets, methods, forecasts);
    }

    private static Map<String, Object> details(BaselineForecaster b) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (b instanceof SeasonalNaive s) {
            d.put("season", s.season());
            d.put("fallback_forecasts", s.fallbacks());
        } else if (b instanceof MovingAverage m) {
            d.put("window", m.window());
        }
        return d;
    }
}
