package io.streamgru.app.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prequential report's numbers, accumulated row by row ({@link ReportCollector}) and rounded once
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

    /** The report of a whole table (as {@link ReportCollector} computes it row by row). */
    public static EvaluationReport build(Context context, ForecastTable table, ReportOptions options) {
        return ReportCollector.of(table, options).build(context, table.timeLabel(), table.methods());
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
