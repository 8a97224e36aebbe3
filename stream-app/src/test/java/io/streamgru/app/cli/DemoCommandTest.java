package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code streamgru demo --duration 30s}, as a newcomer runs it: starts, prints where its dashboard
 * and metrics are, shows forecasts, ends cleanly.
 */
class DemoCommandTest {

    @Test
    void runsForItsDurationShowsLiveForecastsServesHealthAndMetricsAndExitsZero() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = StreamGruCommand.newCommandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));

        long started = System.nanoTime();
        FutureTask<Integer> demo = new FutureTask<>(() -> cmd.execute("demo", "--duration", "30s"));
        new Thread(demo, "demo-under-test").start();
        // While it runs: the header names the dashboard's address, where /health and /metrics answer.
        Matcher dashboard = Pattern.compile("\n  Dashboard: (http://127\\.0\\.0\\.1:\\d+/)\n").matcher("");
        while (!dashboard.reset(out.toString()).find()) {
            assertThat(demo.isDone()).as("demo still running; printed:%n%s%s", out, err).isFalse();
            Thread.sleep(100);
        }
        String url = dashboard.group(1);
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String metrics = "";
        while (!Pattern.compile("(?m)^streamgru_records_total [1-9]").matcher(metrics).find()) {
            assertThat(demo.isDone()).as("records counted while the demo runs; last scrape:%n%s", metrics).isFalse();
            Thread.sleep(500);
            metrics = http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        assertThat(metrics).contains("jvm_memory_used_bytes{", "streamgru_forecasts_total ", "kafka_stream_");
        int code = demo.get(90, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;

        String text = out.toString();
        assertThat(code).as(err.toString()).isZero();
        assertThat(seconds).isBetween(30.0, 90.0);
        assertThat(text).contains("Kafka bootstrap: 127.0.0.1:", "demo finished");
        // Not a terminal: one plain status line per refresh, figures or a dash, never NaN.
        assertThat(text).doesNotContainPattern("(?i)\\bnan\\b").doesNotContain("\u001b[");
        assertThat(text).containsPattern("(?m)^\\[ +\\d+s\\] [\\d,]+ records \\([\\d,]+/s\\), [\\d,]+ forecasts read, "
                + "model v\\d+ \\| MAE model \\d+\\.\\d+ vs persistence \\d+\\.\\d+ \\(last 1000: ");
        Matcher finished = Pattern.compile("demo finished: ([\\d,]+) readings produced, ([\\d,]+) forecasts read back")
                .matcher(text);
        assertThat(finished.find()).isTrue();
        long forecasts = Long.parseLong(finished.group(2).replace(",", ""));
        assertThat(forecasts).isGreaterThan(10_000);
        // The view's last line: the model's error over the last 1,000 forecasts beats persistence.
        Matcher mae = Pattern.compile("last 1000: ([\\d.]+) vs ([\\d.]+)").matcher(text);
        double model = Double.NaN;
        double persistence = Double.NaN;
        while (mae.find()) {
            model = Double.parseDouble(mae.group(1));
            persistence = Double.parseDouble(mae.group(2));
        }
        assertThat(model).isLessThan(persistence);
    }

    @Test
    void aPortInUseStopsTheDemoWithOneLineAndExitCode1() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CommandRun run = CommandRun.run("demo", "--registry-port", Integer.toString(taken.getLocalPort()),
                    "--duration", "5s");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.err().lines().toList()).singleElement().asString()
                    .startsWith("error: port " + taken.getLocalPort() + " is in use (")
                    .endsWith("): choose another with --registry-port, or 0 for a free one");
        }
    }
}
