package io.streamgru.app.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamgru.app.input.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a prequential report into a directory: {@code report.json} (every number), {@code
 * report.md} and {@code report.html} (the same numbers as tables, formatted from the same
 * {@link EvaluationReport} by {@link ErrorMetrics#format}), and the PNG plots, which the Markdown
 * links by relative path and the HTML embeds as data URIs (it is one self-contained file).
 */
public final class ReportWriter {

    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String ERROR_OVER_TIME = "error-over-time.png";
    public static final String METHODS = "model-vs-baselines.png";
    /** Rolling MAE in the error-over-time plot: over this fraction of the scored rows (at least 1 row). */
    public static final int ROLLING_FRACTION = 50;
    private static final int MAX_LINE_POINTS = 1000;
    /** The Markdown and HTML list at most this many keys (report.json has them all). */
    public static final int MAX_KEYS_SHOWN = 100;

    /** One PNG: what it shows, its file name, and its bytes. */
    record Plot(String kind, String title, String key, String file, byte[] png) {
    }

    /** What was written. */
    public record Written(Path directory, List<Path> files) {
    }

    private final EvaluationReport report;
    private final ReportCollector data;
    private final ReportOptions options;

    private ReportWriter(EvaluationReport report, ReportCollector data, ReportOptions options) {
        this.report = report;
        this.data = data;
        this.options = options;
    }

    /** Computes the report of {@code table} and writes it into {@code dir} (created if missing). */
    public static Written write(Path dir, EvaluationReport.Context context, ForecastTable table, ReportOptions options) {
        options.plotKeyIds(table.keyNames()); // a key to plot must be in the table
        ReportCollector data = ReportCollector.of(table, options);
        return write(dir, data.build(context, table.timeLabel(), table.methods()), data, options);
    }

    /** Writes {@code report}, with the plots of the rows {@code data} collected, into {@code dir}. */
    static Written write(Path dir, EvaluationReport report, ReportCollector data, ReportOptions options) {
        return new ReportWriter(report, data, options).writeAll(dir);
    }

    private Written writeAll(Path dir) {
        List<Plot> plots = drawPlots();
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Plot p : plots) {
                files.add(Files.write(dir.resolve(p.file()), p.png()));
            }
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(report.toJson(plotsJson(plots)));
            files.add(Files.writeString(dir.resolve(JSON), json + "\n", StandardCharsets.UTF_8));
            files.add(Files.writeString(dir.resolve(MARKDOWN), markdown(plots), StandardCharsets.UTF_8));
            files.add(Files.writeString(dir.resolve(HTML), html(plots), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InputException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
        return new Written(dir, List.copyOf(files));
    }

    private List<Plot> drawPlots() {
        List<Plot> plots = new ArrayList<>();
        String target = report.context().target();
        String modelLabel = report.methods().get(0).label();
        int n = 1;
        for (PlotTail tail : data.plotTails()) {
            Chart<?, ?> chart = ReportCharts.forecastVsActual(tail, report.timeLabel(), modelLabel, target,
                    data.intervalLevel());
            plots.add(new Plot("forecast", chart.getTitle(), tail.key(),
                    "forecast-" + n++ + "-" + safe(ReportCharts.keyLabel(tail.key())) + ".png", ReportCharts.png(chart)));
        }
        Chart<?, ?> errors = ReportCharts.errorOverTime(data.trail(), report, rollingRows(), MAX_LINE_POINTS);
        plots.add(new Plot("error_over_time", errors.getTitle(), null, ERROR_OVER_TIME, ReportCharts.png(errors)));
        Chart<?, ?> methods = ReportCharts.methods(report);
        plots.add(new Plot("methods", methods.getTitle(), null, METHODS, ReportCharts.png(methods)));
        return plots;
    }

    /** The rolling window: 1/{@link #ROLLING_FRACTION} of the scored rows (as {@link ErrorTrail} can draw it). */
    private long rollingRows() {
        return data.trail().window(Math.max(1, report.overall().scored() / ROLLING_FRACTION));
    }

    private Map<String, Object> plotsJson(List<Plot> plots) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", ReportOptions.WIDTH);
        m.put("height", ReportOptions.HEIGHT);
        m.put("forecast_points", options.plotPoints());
        m.put("rolling_rows", rollingRows());
        List<Object> list = new ArrayList<>();
        for (Plot p : plots) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("kind", p.kind());
            if (p.key() != null) {
                e.put("key", p.key());
            }
            e.put("file", p.file());
            e.put("title", p.title());
            list.add(e);
        }
        m.put("files", list);
        return m;
    }

    // ---------------------------------------------------------------- Markdown

    private String markdown(List<Plot> plots) {
        StringBuilder b = new StringBuilder();
        b.append("# StreamGRU evaluate report\n\n");
        for (String line : intro()) {
            b.append(line).append("\n\n");
            if (line.endsWith("Methods:")) {
                for (String[] m : methodLines()) {
                    b.append("- **").append(m[0]).append("**: ").append(m[1]).append('\n');
                }
                b.append('\n');
            }
        }
        b.append("## Overall\n\n");
        table(b, metricsHeader(), overallRows());
        b.append('\n').append(image(plotOf(plots, "methods"))).append("\n\n");

        b.append("## Per key\n\n");
        if (report.keys().size() > MAX_KEYS_SHOWN) {
            b.append("The first ").append(MAX_KEYS_SHOWN).append(" of ").append(report.keys().size())
                    .append(" keys; report.json has them all.\n\n");
        }
        table(b, keyHeader(), keyRows());

        b.append("\n## Over time\n\n").append(windowsIntro()).append("\n\n");
        table(b, windowsHeader(), windowRows());
        b.append('\n').append(image(plotOf(plots, "error_over_time"))).append("\n\n");

        b.append("## Forecast vs actual\n\n");
        for (Plot p : plots) {
            if (p.kind().equals("forecast")) {
                b.append(image(p)).append("\n\n");
            }
        }
        return b.toString();
    }

    private static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append('|');
        for (String h : header) {
            b.append(' ').append(mdCell(h)).append(" |");
        }
        b.append("\n|");
        for (int j = 0; j < header.size(); j++) {
            b.append(j < firstNumericColumn(header) ? "---|" : "---:|");
        }
        b.append('\n');
        for (List<String> row : rows) {
            b.append('|');
            for (String cell : row) {
                b.append(' ').append(mdCell(cell)).append(" |");
            }
            b.append('\n');
        }
    }

    private static int firstNumericColumn(List<String> header) {
        int j = 0;
        while (j < header.size() && (header.get(j).equals("key") || header.get(j).equals("method"))) {
            j++;
        }
        return j;
    }

    private static String mdCell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
    }

    private static String image(Plot p) {
        return "![" + p.title().replace("]", ")").replace("[", "(") + "](" + p.file() + ")";
    }

    // ---------------------------------------------------------------- the tables, as text cells

    private List<String> intro() {
        EvaluationReport.Context c = report.context();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT,
                "Source `%s`, target `%s`%s, horizon %d: %d rows in %d series, %d scored.",
                c.source(), c.target(), c.keyColumn() == null ? "" : ", key `" + c.keyColumn() + "`", c.horizon(),
                report.rows(), report.keys().size(), report.overall().scored()));
        lines.add("Prequential: every row is forecast before its target is used, then learned from. A row is scored "
                + "when its target is known and every method forecast it. Methods:");
        ErrorMetrics anyMethod = report.overall().metrics().values().iterator().next();
        lines.add("MAE and RMSE are in the target's units; MAPE and sMAPE in percent (sMAPE = mean of "
                + "2·|forecast − actual| / (|actual| + |forecast|)). MAPE leaves out rows with |actual| < "
                + ErrorMetrics.format(report.mapeEpsilon()) + " (" + anyMethod.mapeSkipped() + " here). "
                + "MAE / persistence < 1 means better than persistence. Numbers are rounded to "
                + ErrorMetrics.SIGNIFICANT_DIGITS + " significant digits, the same values as in report.json.");
        if (c.run() != null && c.run().get("interval") instanceof Map<?, ?> interval
                && interval.get("coverage") instanceof Number coverage) {
            Object last = interval.get("coverage_last10");
            Object width = interval.get("mean_width_last10");
            lines.add(String.format(Locale.ROOT, "The model's %.3g %% prediction intervals held the actual in %.2f %% "
                    + "of the scored forecasts that had one%s; the forecast plots draw them.",
                    100 * ((Number) interval.get("level")).doubleValue(), 100 * coverage.doubleValue(),
                    last instanceof Number l && width instanceof Number w
                            ? String.format(Locale.ROOT, " (%.2f %% over the last 10 %% of rows, where their mean width "
                                    + "was %s)", 100 * l.doubleValue(), ErrorMetrics.format(w.doubleValue())) : ""));
        }
        return lines;
    }

    /** One line per method: its label, and what it forecasts. */
    private List<String[]> methodLines() {
        List<String[]> lines = new ArrayList<>();
        for (ForecastTable.Method m : report.methods()) {
            String text = switch (m.id()) {
                case "model" -> report.context().model() == null || report.context().model().isEmpty()
                        ? "the learner" : report.context().model();
                case "persistence" -> "the last known target of the key when the forecast is made";
                case "seasonal_naive" -> "the key's target one season (" + m.details().get("season")
                        + " records of the key) before the forecast target, or whole seasons when the horizon is"
                        + " longer; " + m.details().get("fallback_forecasts") + " forecasts fell back to persistence"
                        + " (no known target there, as in each key's first season)";
                case "moving_average" -> "the mean of the key's last " + m.details().get("window")
                        + " known targets";
                default -> m.details().isEmpty() ? "" : m.details().toString();
            };
            lines.add(new String[] {m.label(), text});
        }
        return lines;
    }

    private String windowsIntro() {
        return "Windows of " + report.windowRows() + " consecutive rows (all keys), by " + report.timeLabel()
                + "; MAE per method. The plot shows each method's MAE over the last " + rollingRows()
                + " scored rows (1/" + ROLLING_FRACTION + " of them).";
    }

    private static List<String> metricsHeader() {
        return List.of("method", "scored", "MAE", "RMSE", "MAPE %", "sMAPE %", "MAE / persistence");
    }

    private static List<String> keyHeader() {
        List<String> h = new ArrayList<>(List.of("key"));
        h.addAll(metricsHeader());
        return h;
    }

    private List<String> windowsHeader() {
        String span = report.timeLabel().equals("row") ? "rows" : report.timeLabel() + " from–to";
        List<String> h = new ArrayList<>(List.of("window", span, "scored"));
        for (ForecastTable.Method m : report.methods()) {
            h.add(m.label() + " MAE");
        }
        return h;
    }

    private static List<String> metricCells(String method, ErrorMetrics e) {
        return List.of(method, Long.toString(e.scored()), ErrorMetrics.format(e.mae()), ErrorMetrics.format(e.rmse()),
                ErrorMetrics.format(e.mape()), ErrorMetrics.format(e.smape()), ErrorMetrics.format(e.relativeMae()));
    }

    private List<List<String>> overallRows() {
        List<List<String>> rows = new ArrayList<>();
        for (ForecastTable.Method m : report.methods()) {
            rows.add(metricCells(m.label(), report.overall().metrics().get(m.id())));
        }
        return rows;
    }

    private List<List<String>> keyRows() {
        List<List<String>> rows = new ArrayList<>();
        for (EvaluationReport.Scope k : report.keys().subList(0, Math.min(MAX_KEYS_SHOWN, report.keys().size()))) {
            for (ForecastTable.Method m : report.methods()) {
                List<String> row = new ArrayList<>();
                row.add(ReportCharts.keyLabel(k.name()));
                row.addAll(metricCells(m.label(), k.metrics().get(m.id())));
                rows.add(row);
            }
        }
        return rows;
    }

    private List<List<String>> windowRows() {
        List<List<String>> rows = new ArrayList<>();
        for (EvaluationReport.Scope w : report.windows()) {
            List<String> row = new ArrayList<>();
            row.add(w.name());
            row.add(w.from() + "–" + w.to());
            row.add(Long.toString(w.scored()));
            for (ForecastTable.Method m : report.methods()) {
                row.add(ErrorMetrics.format(w.metrics().get(m.id()).mae()));
            }
            rows.add(row);
        }
        return rows;
    }

    // ---------------------------------------------------------------- HTML

    private String html(List<Plot> plots) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>StreamGRU evaluate report: ").append(esc(report.context().source())).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px}\n")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}\n")
                .append("img{display:block;margin:1em 0;max-width:100%}\n</style>\n</head>\n<body>\n")
                .append("<h1>StreamGRU evaluate report</h1>\n");
        for (String line : intro()) {
            b.append("<p>").append(esc(line).replaceAll("`([^`]*)`", "<code>$1</code>")).append("</p>\n");
            if (line.endsWith("Methods:")) {
                b.append("<ul>\n");
                for (String[] m : methodLines()) {
                    b.append("<li><b>").append(esc(m[0])).append("</b>: ").append(esc(m[1])).append("</li>\n");
                }
                b.append("</ul>\n");
            }
        }
        b.append("<h2>Overall</h2>\n");
        htmlTable(b, "overall", metricsHeader(), overallRows());
        htmlImage(b, plotOf(plots, "methods"));
        b.append("<h2>Per key</h2>\n");
        if (report.keys().size() > MAX_KEYS_SHOWN) {
            b.append("<p>The first ").append(MAX_KEYS_SHOWN).append(" of ").append(report.keys().size())
                    .append(" keys; report.json has them all.</p>\n");
        }
        htmlTable(b, "keys", keyHeader(), keyRows());
        b.append("<h2>Over time</h2>\n<p>").append(esc(windowsIntro())).append("</p>\n");
        htmlTable(b, "windows", windowsHeader(), windowRows());
        htmlImage(b, plotOf(plots, "error_over_time"));
        b.append("<h2>Forecast vs actual</h2>\n");
        for (Plot p : plots) {
            if (p.kind().equals("forecast")) {
                htmlImage(b, p);
            }
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static void htmlTable(StringBuilder b, String id, List<String> header, List<List<String>> rows) {
        int numericFrom = firstNumericColumn(header);
        b.append("<table id=\"").append(id).append("\">\n<tr>");
        for (String h : header) {
            b.append("<th>").append(esc(h)).append("</th>");
        }
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (int j = 0; j < row.size(); j++) {
                b.append(j < numericFrom ? "<td>" : "<td class=\"n\">").append(esc(row.get(j))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static void htmlImage(StringBuilder b, Plot p) {
        b.append("<img width=\"").append(ReportOptions.WIDTH).append("\" height=\"").append(ReportOptions.HEIGHT)
                .append("\" alt=\"").append(esc(p.title())).append("\" title=\"").append(esc(p.file()))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(p.png()))
                .append("\">\n");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Plot plotOf(List<Plot> plots, String kind) {
        return plots.stream().filter(p -> p.kind().equals(kind)).findFirst().orElseThrow();
    }

    /** A key as part of a file name: letters, digits, '-', '_' and '.' kept, the rest '_', at most 40 chars. */
    static String safe(String key) {
        String s = key.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.startsWith(".")) {
            s = "_" + s.substring(1);
        }
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
