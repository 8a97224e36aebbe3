package io.streamgru.app.cli;

import static io.streamgru.app.cli.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgru.app.evaluate.ErrorMetrics;
import io.streamgru.app.evaluate.ReportOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamgru evaluate --report}: the files, the plots as images of the documented size, the
 * same numbers in report.json, report.md and report.html, and baselines checked by hand.
 */
class EvaluateReportTest {

    private static final List<String> METHODS = List.of("model", "persistence", "seasonal_naive", "moving_average");
    private static final List<String> METRIC_FIELDS = List.of("scored", "mae", "rmse", "mape", "smape", "relative_mae");

    @TempDir
    Path dir;

    /** Three keys, a period-12 cycle with noise and different levels, one target gap. */
    private Path seasonalCsv(int rowsPerKey) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("t,site,demand");
        java.util.Random random = new java.util.Random(11);
        String[] sites = {"north", "south", "east"};
        for (int t = 0; t < rowsPerKey; t++) {
            for (int s = 0; s < sites.length; s++) {
                double y = 50 + 10 * s + 8 * Math.sin(2 * Math.PI * t / 12.0 + s) + random.nextGaussian();
                String cell = t == 30 && s == 1 ? "" : String.format(Locale.ROOT, "%.4f", y);
                lines.add(t + "," + sites[s] + "," + cell);
            }
        }
        Path file = dir.resolve("demand.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void writesTheReportFilesWithTheSameNumbersEverywhere() throws IOException {
        Path csv = seasonalCsv(200);
        Path out = dir.resolve("report");

        var r = run("evaluate", "--input", csv.toString(), "--target", "demand", "--key", "site", "--hidden", "8",
                "--report", out.toString(), "--season", "12", "--moving-average", "6", "--plot-keys", "north,east",
                "--plot-points", "150", "--json", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String file : List.of("report.json", "report.md", "report.html", "forecast-1-north.png",
                "forecast-2-east.png", "error-over-time.png", "model-vs-baselines.png")) {
            assertThat(out.resolve(file)).as(file).isNotEmptyFile();
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        String md = Files.readString(out.resolve("report.md"));
        String html = Files.readString(out.resolve("report.html"));
        // The intervals' coverage, as in the run's summary, and the plots draw the band.
        JsonNode interval = json.at("/run/interval");
        assertThat(md).contains(String.format(java.util.Locale.ROOT,
                "The model's 90.0 %% prediction intervals held the actual in %.2f %%", 100 * interval.get("coverage").asDouble()));
        assertThat(html).contains("prediction intervals held the actual");

        // Every PNG listed in report.json decodes to the documented size; the HTML embeds the same images.
        JsonNode plots = json.get("plots");
        assertThat(plots.get("width").asInt()).isEqualTo(ReportOptions.WIDTH).isEqualTo(1000);
        assertThat(plots.get("height").asInt()).isEqualTo(ReportOptions.HEIGHT).isEqualTo(400);
        assertThat(plots.get("files")).hasSize(4);
        for (JsonNode plot : plots.get("files")) {
            Path png = out.resolve(plot.get("file").asText());
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(png.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(1000);
            assertThat(image.getHeight()).isEqualTo(400);
            assertThat(md).contains("](" + plot.get("file").asText() + ")");
        }
        Matcher dataUri = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int embedded = 0;
        while (dataUri.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(dataUri.group(1))));
            assertThat(image.getWidth()).isEqualTo(1000);
            assertThat(image.getHeight()).isEqualTo(400);
            embedded++;
        }
        assertThat(embedded).isEqualTo(4);

        // The report's model and persistence errors are the run's own (the --json summary), rounded.
        JsonNode summary = new ObjectMapper().readTree(r.out());
        JsonNode overall = json.get("overall");
        assertThat(json.get("scored").asLong()).isEqualTo(summary.get("scored").asLong());
        assertThat(overall.get("model").get("mae").asDouble()).isEqualTo(ErrorMetrics.round(summary.get("mae").asDouble()));
        assertThat(overall.get("model").get("rmse").asDouble()).isEqualTo(ErrorMetrics.round(summary.get("rmse").asDouble()));
        assertThat(overall.get("persistence").get("mae").asDouble())
                .isEqualTo(ErrorMetrics.round(summary.get("persistence_mae").asDouble()));
        assertThat(json.get("run").get("records").asInt()).isEqualTo(600);
        // A clean seasonal signal: the seasonal naive baseline beats persistence.
        assertThat(overall.get("seasonal_naive").get("relative_mae").asDouble()).isLessThan(1);

        // Markdown and HTML tables carry exactly report.json's numbers.
        for (Tables tables : List.of(new Tables("markdown", markdownTable(md, "Overall"), markdownTable(md, "Per key"),
                markdownTable(md, "Over time")), new Tables("html", htmlTable(html, "overall"), htmlTable(html, "keys"),
                htmlTable(html, "windows")))) {
            assertThat(tables.overall()).as(tables.format()).hasSize(METHODS.size());
            for (int m = 0; m < METHODS.size(); m++) {
                assertMetricsRow(tables.overall().get(m), 1, overall.get(METHODS.get(m)), tables.format());
            }
            JsonNode keys = json.get("keys");
            assertThat(keys).hasSize(3);
            assertThat(tables.keys()).hasSize(3 * METHODS.size());
            for (int k = 0; k < 3; k++) {
                for (int m = 0; m < METHODS.size(); m++) {
                    List<String> row = tables.keys().get(k * METHODS.size() + m);
                    assertThat(row.get(0)).isEqualTo(keys.get(k).get("key").asText());
                    assertMetricsRow(row, 2, keys.get(k).get("metrics").get(METHODS.get(m)), tables.format());
                }
            }
            JsonNode windows = json.get("windows");
            assertThat(windows).hasSize(10);
            assertThat(tables.windows()).hasSize(10);
            for (int w = 0; w < 10; w++) {
                List<String> row = tables.windows().get(w);
                assertThat(row.get(1)).isEqualTo(windows.get(w).get("from").asLong() + "–" + windows.get(w).get("to").asLong());
                assertThat(Long.parseLong(row.get(2))).isEqualTo(windows.get(w).get("scored").asLong());
                for (int m = 0; m < METHODS.size(); m++) {
                    assertSameNumber(row.get(3 + m), windows.get(w).get("metrics").get(METHODS.get(m)).get("mae"),
                            tables.format() + " window " + (w + 1));
                }
            }
        }
    }

    record Tables(String format, List<List<String>> overall, List<List<String>> keys, List<List<String>> windows) {
    }

    private static void assertMetricsRow(List<String> row, int firstNumber, JsonNode metrics, String what) {
        for (int j = 0; j < METRIC_FIELDS.size(); j++) {
            assertSameNumber(row.get(firstNumber + j), metrics.get(METRIC_FIELDS.get(j)), what + " " + row);
        }
    }

    private static void assertSameNumber(String cell, JsonNode value, String what) {
        if (value == null || value.isNull()) {
            assertThat(cell).as(what).isEqualTo("—");
        } else {
            assertThat(Double.parseDouble(cell)).as(what + ": " + cell).isEqualTo(value.asDouble());
        }
    }

    /** The data rows of the first Markdown table under "## heading". */
    private static List<List<String>> markdownTable(String md, String heading) {
        String section = md.substring(md.indexOf("## " + heading + "\n"));
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        int line = 0;
        for (String l : section.split("\n")) {
            if (l.startsWith("|")) {
                inTable = true;
                if (line++ >= 2) { // header and alignment rows
                    List<String> cells = new ArrayList<>();
                    for (String c : l.substring(1, l.length() - 1).split("\\|")) {
                        cells.add(c.strip());
                    }
                    rows.add(cells);
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    /** The data rows of {@code <table id="id">}. */
    private static List<List<String>> htmlTable(String html, String id) {
        Matcher table = Pattern.compile("<table id=\"" + id + "\">(.*?)</table>", Pattern.DOTALL).matcher(html);
        assertThat(table.find()).as("table " + id).isTrue();
        List<List<String>> rows = new ArrayList<>();
        Matcher tr = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(table.group(1));
        while (tr.find()) {
            Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(tr.group(1));
            List<String> cells = new ArrayList<>();
            while (td.find()) {
                cells.add(td.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                        .replace("&amp;", "&"));
            }
            if (!cells.isEmpty()) {
                rows.add(cells);
            }
        }
        return rows;
    }

    @Test
    void baselinesAreExactWhereTheyShouldBe() throws IOException {
        // Three keys, interleaved, 40 records each: p alternates 10, 20 (period 2); c is constant 5;
        // z alternates 0, 4 (MAPE must skip its zeros).
        List<String> lines = new ArrayList<>(List.of("t,k,y"));
        for (int t = 0; t < 40; t++) {
            lines.add(t + ",p," + (t % 2 == 0 ? 10 : 20));
            lines.add(t + ",c,5");
            lines.add(t + ",z," + (t % 2 == 0 ? 0 : 4));
        }
        Path csv = dir.resolve("tiny.csv");
        Files.write(csv, lines);
        Path out = dir.resolve("tiny");

        var r = run("evaluate", "--input", csv.toString(), "--target", "y", "--key", "k", "--hidden", "4",
                "--report", out.toString(), "--season", "2", "--moving-average", "2", "--report-window", "30",
                "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode p = keyMetrics(json, "p");
        JsonNode c = keyMetrics(json, "c");
        JsonNode z = keyMetrics(json, "z");
        // Horizon 1: each key's first record has no forecast; 39 scored each.
        assertThat(json.get("scored").asInt()).isEqualTo(117);
        assertThat(p.get("persistence").get("scored").asInt()).isEqualTo(39);

        // p: persistence is always 10 off. Seasonal naive (2) is exact but for its first forecast, made
        // before a season had passed (it fell back to persistence: 10 off). The moving average of the last
        // two targets is 15 (5 off), but for the first forecast, from one target (10 off).
        assertMetrics(p.get("persistence"), 10, 10);
        assertMetrics(p.get("seasonal_naive"), 10.0 / 39, Math.sqrt(100.0 / 39));
        assertMetrics(p.get("moving_average"), 200.0 / 39, Math.sqrt((100 + 38 * 25) / 39.0));
        // c: a constant is forecast exactly by every baseline.
        for (String method : List.of("persistence", "seasonal_naive", "moving_average")) {
            assertMetrics(c.get(method), 0, 0);
            assertThat(c.get(method).get("mape").asDouble()).isZero();
            assertThat(c.get(method).get("smape").asDouble()).isZero();
        }
        // z: persistence is 4 off everywhere; MAPE counts only the 20 rows whose actual is 4 (100% each)
        // and skips the 19 zeros; every sMAPE term is 2·4/(4+0) = 200%.
        assertMetrics(z.get("persistence"), 4, 4);
        assertThat(z.get("persistence").get("mape").asDouble()).isEqualTo(100);
        assertThat(z.get("persistence").get("mape_skipped").asInt()).isEqualTo(19);
        assertThat(z.get("persistence").get("smape").asDouble()).isEqualTo(200);
        // Seasonal naive on z: only the first forecast (0 for an actual of 4) is off: MAPE 100/20, sMAPE 200/39.
        assertMetrics(z.get("seasonal_naive"), 4.0 / 39, Math.sqrt(16.0 / 39));
        assertThat(z.get("seasonal_naive").get("mape").asDouble()).isEqualTo(5);
        assertThat(z.get("seasonal_naive").get("smape").asDouble()).isEqualTo(ErrorMetrics.round(200.0 / 39));
        // Relative MAE is against persistence on the same rows.
        assertThat(p.get("seasonal_naive").get("relative_mae").asDouble()).isEqualTo(ErrorMetrics.round(1.0 / 39));
        assertThat(c.get("seasonal_naive").get("relative_mae").isNull()).isTrue(); // 0 / 0

        // Windows of 30 rows: after the first, seasonal naive is exact everywhere.
        JsonNode windows = json.get("windows");
        assertThat(windows).hasSize(4);
        assertThat(windows.get(0).get("from").asInt()).isEqualTo(1);
        assertThat(windows.get(0).get("to").asInt()).isEqualTo(30);
        for (int w = 1; w < 4; w++) {
            assertThat(windows.get(w).get("scored").asInt()).isEqualTo(30);
            assertThat(windows.get(w).get("metrics").get("seasonal_naive").get("mae").asDouble()).isZero();
        }
        // One fallback per key: the forecast made at its first record (a season back is before the start).
        assertThat(json.get("methods").get(2).get("fallback_forecasts").asInt()).isEqualTo(3);
    }

    private static JsonNode keyMetrics(JsonNode json, String key) {
        for (JsonNode k : json.get("keys")) {
            if (k.get("key").asText().equals(key)) {
                return k.get("metrics");
            }
        }
        throw new AssertionError("no key " + key);
    }

    private static void assertMetrics(JsonNode metrics, double mae, double rmse) {
        assertThat(metrics.get("mae").asDouble()).isEqualTo(ErrorMetrics.round(mae));
        assertThat(metrics.get("rmse").asDouble()).isEqualTo(ErrorMetrics.round(rmse));
    }

    @Test
    void reportOptionsAreCheckedBeforeTheRun() throws IOException {
        Path csv = seasonalCsv(20);
        Path out = dir.resolve("r");

        var noReport = run("evaluate", "--input", csv.toString(), "--target", "demand", "--moving-average", "12");
        var badKey = run("evaluate", "--input", csv.toString(), "--target", "demand", "--key", "site",
                "--report", out.toString(), "--plot-keys", "west");
        var badAverage = run("evaluate", "--input", csv.toString(), "--target", "demand", "--report", out.toString(),
                "--moving-average", "-1");
        // --season is the learner's (learner.season: seasonal naive is an expert and the report's baseline).
        var badSeason = run("evaluate", "--input", csv.toString(), "--target", "demand", "--report", out.toString(),
                "--season", "-1");
        var badWindow = run("evaluate", "--input", csv.toString(), "--target", "demand", "--report", out.toString(),
                "--report-window", "0");

        assertThat(noReport.exitCode()).isEqualTo(2);
        assertThat(noReport.err()).contains("--moving-average", "add --report DIR");
        assertThat(badKey.exitCode()).isEqualTo(2);
        assertThat(badKey.err()).contains("no key 'west'", "north, south, east");
        assertThat(badSeason.exitCode()).isEqualTo(2);
        assertThat(badSeason.err()).contains("--season", "must be >= 0");
        assertThat(badAverage.exitCode()).isEqualTo(2);
        assertThat(badAverage.err()).contains("--moving-average must be >= 0");
        assertThat(badWindow.exitCode()).isEqualTo(2);
        assertThat(badWindow.err()).contains("--report-window must be >= 1");
        assertThat(out).doesNotExist();

        Path file = dir.resolve("taken");
        Files.writeString(file, "not a directory");
        var notADirectory = run("evaluate", "--input", csv.toString(), "--target", "demand", "--report", file.toString());
        assertThat(notADirectory.exitCode()).isEqualTo(2);
        assertThat(notADirectory.err()).contains("cannot create the report directory", "a file of that name exists");
        assertThat(notADirectory.out()).isEmpty(); // before the run
    }

    @Test
    void oneSeriesWithoutAKeyIsPlottedAsAllRows() throws IOException {
        Path csv = dir.resolve("one.csv");
        List<String> lines = new ArrayList<>(List.of("y"));
        for (int t = 0; t < 60; t++) {
            lines.add(String.format(Locale.ROOT, "%.3f", Math.sin(t / 3.0)));
        }
        Files.write(csv, lines);
        Path out = dir.resolve("one");

        var r = run("evaluate", "--input", csv.toString(), "--target", "y", "--hidden", "4", "--report",
                out.toString(), "--moving-average", "0");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("report in " + out, "3 PNG plots");
        assertThat(out.resolve("forecast-1-all_rows.png")).isNotEmptyFile();
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(json.get("methods")).hasSize(2); // model and persistence only
        assertThat(json.get("keys").get(0).get("key").asText()).isEmpty();
        assertThat(json.get("windows")).hasSize(10);
        assertThat(json.get("window_rows").asInt()).isEqualTo(6);
    }
}
