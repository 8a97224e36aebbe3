package io.streamgru.app.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prequential report's numbers, computed once from a {@link ForecastTable} and rounded once
 * ({@link ErrorMetrics#rounded()}): report.json, report.md and report.html all print these objects.
 * Metrics per method, overall, per key and per window of consecutive rows (in arrival order, all
 * keys together), each over that scope's scored rows.
 */
public record EvaluationReport(Context context, String timeLabel, int rows, int windowRows, double mapeEpsilon,
                               List<ForecastTable.Method> methods, Scope overall, List<Scope> keys,
                               List<Scope> windows) {

    /**
     * Where the rows came from and what was forecast: {@code source} (a file or topic), the target
     * and key column names (key may be null), the horizon, a one-line model description, and the
     * run's own summary (JSON-ready, embedded as {@code run} in report.json; may be empty).
     */
    public record Context(String source, String target, String keyColumn, int horizon, String model,
                          Map<String, Object> run) {
    }

    /**
     * A set of rows: {@code name} (the key, or the window's number), how many rows and which times
     * it spans ({@code from}..{@code to}, inclusive), how many were scored, and the metrics per
     * method id, in the table's method order.
     */
    public record Scope(String name, int rows, long from, long to, long scored, Map<String, ErrorMetrics> metrics) {
    }

    public static EvaluationReport build(Context context, ForecastTable table, ReportOptions options) {
        int rows = table.rows();
        int methodCount = table.methods().size();
        int windowRows = options.windowRowsFor(rows);
        int windowCount = (rows + windowRows - 1) / windowRows;
        int keyCount = table.keyNames().size();
        double eps = options.mapeEpsilon();

        ScopeBuilder overall = new ScopeBuilder("all", methodCount, eps);
        ScopeBuilder[] keys = new ScopeBuilder[keyCount];
        for (int k = 0; k < keyCount; k++) {
            keys[k] = new ScopeBuilder(table.keyNames().get(k), methodCount, eps);
        }
        ScopeBuilder[] windows = new ScopeBuilder[windowCount];
        for (int w = 0; w < windowCount; w++) {
            windows[w] = new ScopeBuilder(Integer.toString(w + 1), methodCount, eps);
        }
        for (int i = 0; i < rows; i++) {
            boolean scored = table.scored(i);
            long time = table.times()[i];
            for (ScopeBuilder s : new ScopeBuilder[] {overall, keys[table.keys()[i]], windows[i / windowRows]}) {
                s.row(time);
                if (scored) {
                    for (int m = 0; m < methodCount; m++) {
                        s.errors[m].add(table.forecasts().get(m)[i], table.actuals()[i]);
                    }
                }
            }
        }
        int persistence = -1;
        for (int m = 0; m < methodCount; m++) {
            if (table.methods().get(m).id().equals("persistence")) {
                persistence = m;
            }
        }
        List<Scope> keyScopes = new ArrayList<>();
        for (ScopeBuilder k : keys) {
            keyScopes.add(k.build(table.methods(), persistence));
        }
        List<Scope> windowScopes = new ArrayList<>();
        for (ScopeBuilder w : windows) {
            windowScopes.add(w.build(table.methods(), persistence));
        }
        return new EvaluationReport(context, table.timeLabel(), rows, windowRows, eps, table.methods(),
                overall.build(table.methods(), persistence), List.copyOf(keyScopes), List.copyOf(windowScopes));
    }

    private static final class ScopeBuilder {
        final String name;
        final ErrorMetrics.Accumulator[] errors;
        int rows;
        long from;
        long to;

        ScopeBuilder(String name, int methods, double eps) {
            this.name = name;
            errors = new ErrorMetrics.Accumulator[methods];
            for (int m = 0; m < methods; m++) {
                errors[m] = new ErrorMetrics.Accumulator(eps);
            }
        }

        void row(long time) {
            if (rows++ == 0) {
                from = time;
            }
            to = time;
        }

        Scope build(List<ForecastTable.Method> methods, int persistence) {
            double baseline = persistence < 0 ? Double.NaN : errors[persistence].mae();
            Map<String, ErrorMetrics> metrics = new LinkedHashMap<>();
            for (int m = 0; m < errors.length; m++) {
                metrics.put(methods.get(m).id(), errors[m].metrics(baseline).rounded());
            }
            long scored = errors.length == 0 ? 0 : errors[0].count();
            return new Scope(name, rows, from, to, scored, java.util.Collections.unmodifiableMap(metrics));
        }
    }

    /** The whole report as one JSON-ready map (snake_case, stable names). */
    public Map<String, Object> toJson(Map<String, Object> plots) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", context.source());
        m.put("target", context.target());
        m.put("key", context.keyColumn());
        m.put("horizon", context.horizon());
        m.put("model", context.model());
        m.put("time_unit", timeLabel);
        m.put("rows", rows);
        m.put("series", keys.size());
        m.put("scored", overall.scored());
        m.put("window_rows", windowRows);
        m.put("mape_epsilon", mapeEpsilon);
        m.put("significant_digits", ErrorMetrics.SIGNIFICANT_DIGITS);
        List<Object> ms = new ArrayList<>();
        for (ForecastTable.Method method : methods) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", method.id());
            e.put("label", method.label());
            e.putAll(method.details());
            ms.add(e);
        }
        m.put("methods", ms);
        m.put("overall", metricsJson(overall));
        List<Object> ks = new ArrayList<>();
        for (Scope k : keys) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", k.name());
            e.put("rows", k.rows());
            e.put("scored", k.scored());
            e.put("metrics", metricsJson(k));
            ks.add(e);
        }
        m.put("keys", ks);
        List<Object> ws = new ArrayList<>();
        for (Scope w : windows) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("window", Integer.parseInt(w.name()));
            e.put("from", w.from());
            e.put("to", w.to());
            e.put("rows", w.rows());
            e.put("scored", w.scored());
            e.put("metrics", metricsJson(w));
            ws.add(e);
        }
        m.put("windows", ws);
        m.put("plots", plots);
        if (!context.run().isEmpty()) {
            m.put("run", context.run());
        }
        return m;
    }

    private static Map<String, Object> metricsJson(Scope s) {
        Map<String, Object> m = new LinkedHashMap<>();
        s.metrics().forEach((id, metrics) -> m.put(id, metrics.toJson()));
        return m;
    }
}
