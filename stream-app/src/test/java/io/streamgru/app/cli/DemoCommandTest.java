package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code streamgru demo --duration 30s}, as a newcomer runs it: starts, shows forecasts, ends cleanly. */
class DemoCommandTest {

    @Test
    void runsForItsDurationShowsLiveForecastsAndExitsZero() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = StreamGruCommand.newCommandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));

        long started = System.nanoTime();
        int code = cmd.execute("demo", "--duration", "30s");
        double seconds = (System.nanoTime() - started) / 1e9;

        String text = out.toString();
        assertThat(code).as(err.toString()).isZero();
        assertThat(seconds).isBetween(30.0, 90.0);
        assertThat(text).contains("Kafka bootstrap: 127.0.0.1:", "demo finished");
        assertThat(text).containsPattern("room-000 +hour +\\d+ +forecast next hour +-?\\d+\\.\\d+ +actual now");
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
