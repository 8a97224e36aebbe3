package io.streamgru.app.evaluate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's numbers and plot data, accumulated row by row as the evaluation runs: error sums
 * overall, per key and per window of consecutive rows, the last rows of each plotted key and the
 * running error sums of {@link ErrorTrail}. Memory grows with the keys and windows, not the rows.
 * A row is scored when its actual is known and every method forecast it.
 */
final class ReportCollector {

    private final ReportOptions options;
    private final int methods;
    private final int windowRows;
    private final ScopeBuilder overall;
    private final List<ScopeBuilder> keys = new ArrayList<>();
    private final ScopeBuilder[] windows;
    private final Map<Integer, PlotTail> tails = new LinkedHashMap<>();
    private final ErrorTrail trail;
    private long rows;
    /** The level of the model's prediction intervals, for the plots' legend (NaN: none given). */
    private double intervalLevel = Double.NaN;

    /** @param totalRows the rows (positions) the run will have, for the windows */
    ReportCollector(long totalRows, int methods, ReportOptions options) {
        this.options = options;
        this.methods = methods;
        this.windowRows = options.windowRowsFor((int) Math.min(Integer.MAX_VALUE, totalRows));
        double eps = options.mapeEpsilon();
        overall = new ScopeBuilder("all", methods, eps);
        windows = new ScopeBuilder[(int) ((totalRows + windowRows - 1) / windowRows)];
        for (int w = 0; w < windows.length; w++) {
            windows[w] = new ScopeBuilder(Integer.toString(w + 1), methods, eps);
        }
        trail = new ErrorTrail(methods);
    }

    /** The collector of a whole table (its keys registered in the table's order). */
    static ReportCollector of(ForecastTable table, ReportOptions options) {
        ReportCollector c = new ReportCollector(table.rows(), table.methods().size(), options);
        for (int k = 0; k < table.keyNames().size(); k++) {
            c.key(k, table.keyNames().get(k));
        }
        double[] f = new double[table.methods().size()];
        for (int i = 0; i < table.rows(); i++) {
            for (int m = 0; m < f.length; m++) {
                f[m] = table.forecasts().get(m)[i];
            }
            c.add(table.keys()[i], i, table.times()[i], table.actuals()[i], f);
        }
        return c;
    }

    /** Registers key {@code id} (ids are dense, from 0) under {@code name}, before its first row. */
    void key(int id, String name) {
        while (keys.size() <= id) {
            keys.add(null);
        }
        keys.set(id, new ScopeBuilder(name, methods, options.mapeEpsilon()));
        boolean plotted = options.plotKeys().isEmpty() ? id < ReportOptions.DEFAULT_PLOT_KEYS
                : options.plotKeys().contains(name);
        if (plotted) {
            tails.put(id, new PlotTail(name, options.plotPoints()));
        }
    }

    /**
     * Row {@code position} (0-based, in arrival order) of key {@code key} at {@code time}: its actual
     * (NaN = unknown) and each method's forecast for it (NaN = none).
     */
    void add(int key, long position, long time, double actual, double[] forecasts) {
        add(key, position, time, actual, forecasts, Double.NaN);
    }

    /** As {@link #add(int, long, long, double, double[])}, with the half-width of the model forecast's interval (NaN: none). */
    void add(int key, long position, long time, double actual, double[] forecasts, double halfWidth) {
        rows++;
        boolean scored = Double.isFinite(actual);
        for (int m = 0; m < methods && scored; m++) {
            scored = !Double.isNaN(forecasts[m]);
        }
        ScopeBuilder window = windows[(int) (position / windowRows)];
        for (ScopeBuilder s : new ScopeBuilder[] {overall, keys.get(key), window}) {
            s.row(time);
            if (scored) {
                for (int m = 0; m < methods; m++) {
                    s.errors[m].add(forecasts[m], actual);
                }
            }
        }
        if (scored) {
            trail.add(time, forecasts, actual);
        }
        PlotTail tail = tails.get(key);
        if (tail != null) {
            tail.add(time, actual, forecasts[0], halfWidth);
        }
    }

    /** The report of the rows so far; {@code methods} in the order of the forecasts given to {@link #add}. */
    EvaluationReport build(EvaluationReport.Context context, String timeLabel, List<ForecastTable.Method> methods) {
        int persistence = -1;
        for (int m = 0; m < methods.size(); m++) {
            if (methods.get(m).id().equals("persistence")) {
                persistence = m;
            }
        }
        List<EvaluationReport.Scope> keyScopes = new ArrayList<>();
        for (ScopeBuilder k : keys) {
            keyScopes.add(k.build(methods, persistence));
        }
        List<EvaluationReport.Scope> windowScopes = new ArrayList<>();
        for (ScopeBuilder w : windows) {
            windowScopes.add(w.build(methods, persistence));
        }
        return new EvaluationReport(context, timeLabel, (int) rows, windowRows, options.mapeEpsilon(),
                methods, overall.build(methods, persistence), List.copyOf(keyScopes), List.copyOf(windowScopes));
    }

    /**
     * The forecast-vs-actual tails to plot, in plot order: the requested keys in the order asked
     * (an empty tail for one that had no rows), else the first {@link ReportOptions#DEFAULT_PLOT_KEYS}.
     */
    List<PlotTail> plotTails() {
        if (options.plotKeys().isEmpty()) {
            return List.copyOf(tails.values());
        }
        List<PlotTail> out = new ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(options.plotKeys())) {
            out.add(tails.values().stream().filter(t -> t.key().equals(name)).findFirst()
                    .orElseGet(() -> new PlotTail(name, 1)));
        }
        return out;
    }

    ErrorTrail trail() {
        return trail;
    }

    void intervalLevel(double level) {
        this.intervalLevel = level;
    }

    double intervalLevel() {
        return intervalLevel;
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

        EvaluationReport.Scope build(List<ForecastTable.Method> methods, int persistence) {
            double baseline = persistence < 0 ? Double.NaN : errors[persistence].mae();
            Map<String, ErrorMetrics> metrics = new LinkedHashMap<>();
            for (int m = 0; m < errors.length; m++) {
                metrics.put(methods.get(m).id(), errors[m].metrics(baseline).rounded());
            }
            long scored = errors.length == 0 ? 0 : errors[0].count();
            return new EvaluationReport.Scope(name, rows, from, to, scored, Collections.unmodifiableMap(metrics));
        }
    }
}
