package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.DashboardPage;
import io.streamgru.app.testing.HeadlessChromium;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamgru demo}: the dashboard address its header prints, opened in headless Chromium,
 * draws every chart (the instance's five and one per key it charts: the first four it forecasts).
 * Needs Debian's {@code chromium}; skipped with a reason without it unless {@code
 * CI_REQUIRE_CHROMIUM=1} (as on CI).
 */
class DemoDashboardInBrowserTest {

    /** Coloured pixels a drawn chart has at least (a line across it has some hundreds to thousands). */
    private static final int DRAWN = 200;

    @TempDir
    Path dir;

    @Test
    void theDemosDashboardDrawsItsCharts() throws Exception {
        Path chromium = HeadlessChromium.forTest();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = StreamGruCommand.newCommandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        FutureTask<Integer> demo = new FutureTask<>(() -> cmd.execute("demo", "--duration", "30s", "--rate", "500"));
        new Thread(demo, "demo-under-test").start();
        Matcher dashboard = Pattern.compile("\n  Dashboard: (http://127\\.0\\.0\\.1:\\d+/)\n").matcher("");
        while (!dashboard.reset(out.toString()).find()) {
            assertThat(demo.isDone()).as("demo still running; printed:%n%s%s", out, err).isFalse();
            Thread.sleep(100);
        }
        String url = dashboard.group(1);
        HttpClient http = HttpClient.newHttpClient();
        String metrics = "";
        while (!Pattern.compile("(?m)^streamgru_forecasts_scored_total [1-9]").matcher(metrics).find()) {
            assertThat(demo.isDone()).as("forecasts scored while the demo runs; last scrape:%n%s", metrics).isFalse();
            Thread.sleep(500);
            metrics = http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        Thread.sleep(3000); // a few samples of history after the first scored forecasts

        List<DashboardPage.Chart> charts;
        try (HeadlessChromium browser = HeadlessChromium.open(chromium, url, dir.resolve("chromium"))) {
            // The page polls once a second; give it a few polls to draw, never past the demo's end.
            long deadline = System.nanoTime() + 10_000_000_000L;
            do {
                Thread.sleep(1000);
                charts = DashboardPage.charts(browser);
            } while (!allDrawn(charts) && System.nanoTime() < deadline && !demo.isDone());
            assertThat(DashboardPage.number(DashboardPage.figures(browser), "records")).isPositive();
        }
        assertThat(charts).extracting(DashboardPage.Chart::name)
                .containsExactly("key", "key", "key", "key", "mae", "throughput", "version", "deadLetters", "drift");
        for (DashboardPage.Chart chart : charts) {
            assertThat(chart.coloured()).as("coloured pixels of chart %s %s; all: %s", chart.name(), chart.key(), charts)
                    .isGreaterThanOrEqualTo(DRAWN);
        }
        assertThat(demo.get(90, TimeUnit.SECONDS)).as(err.toString()).isZero();
    }

    private static boolean allDrawn(List<DashboardPage.Chart> charts) {
        return charts.size() == 9 && charts.stream().allMatch(c -> c.coloured() >= DRAWN);
    }
}
