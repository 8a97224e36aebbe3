package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.processes.JavaProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code streamgru demo} as its own process, its output a pipe (as a script reads it), stopped as
 * a user stops it: Ctrl-C (SIGINT) or SIGTERM. It must print plain status lines that never say
 * NaN, keep Kafka's log lines out of its output (in the log file it names), and on the signal print
 * a summary, stop everything, leave nothing of its own in its temp dir but that log, and exit 0.
 */
class DemoProcessTest {

    /** A status line with a figure for the model's MAE: records flowed, forecasts were scored. */
    private static final Pattern SCORED = Pattern.compile(
            "(?m)^\\[ *\\d+s\\] [\\d,]+ records \\([\\d,]+/s\\), [\\d,]+ forecasts read, model v\\d+ \\| "
                    + "MAE model (\\d+\\.\\d+) vs persistence (\\d+\\.\\d+) \\(last \\d+: \\d+\\.\\d+ vs \\d+\\.\\d+\\) "
                    + "\\| dead letters \\d+ \\| ");

    @TempDir
    Path directory;

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalStopsItWithASummaryNoKafkaLinesInItsOutputNoTempDirsLeftAndExitCodeZero(String signal)
            throws Exception {
        Path tmp = Files.createDirectories(directory.resolve("tmp"));
        Path stdout = directory.resolve("stdout.txt");
        Path stderr = directory.resolve("stderr.txt");
        try (JavaProcess demo = JavaProcess.startProgram("demo", stdout, stderr, tmp,
                List.of("-Xmx512m", "-Djava.awt.headless=true"), StreamGruCommand.class.getName(),
                List.of("demo", "--sensors", "12", "--rate", "500", "--no-combine"))) {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (!SCORED.matcher(read(stdout)).find()) {
                assertThat(demo.isAlive()).as("demo runs; printed:%n%s%n%s", read(stdout), read(stderr)).isTrue();
                assertThat(System.nanoTime()).as("a scored status line within 180 s:%n%s", read(stdout))
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
            // While it runs, Kafka Streams' state and the broker's data are in the temp dir given.
            assertThat(streamGruDirectories(tmp)).as("the demo's temp dirs while it runs").hasSize(2);

            OptionalInt code = demo.signal(signal, 90);

            String out = read(stdout);
            String err = read(stderr);
            assertThat(code).as("exit code after SIG%s; printed:%n%s%n%s", signal, out, err).hasValue(0);
            assertThat(out).as("no NaN anywhere").doesNotContainPattern("(?i)\\bnan\\b");
            assertThat(out + err).as("Kafka's log lines stay out of the console")
                    .doesNotContain("org.apache.kafka", "o.a.k.", "INFO ", "WARN ");
            assertThat(err.strip()).as("stderr").isEmpty();
            // Not a terminal: plain lines, no cursor movement.
            assertThat(out).doesNotContain("\u001b[");

            Matcher log = Pattern.compile("\n  Log \\(Kafka, registry, StreamGRU\\): (\\S+)\n").matcher(out);
            assertThat(log.find()).as("the header names the log file:%n%s", out).isTrue();
            Path logFile = Path.of(log.group(1));
            assertThat(logFile.getParent()).isEqualTo(tmp);
            assertThat(read(logFile)).as("Kafka's own lines are in the log file")
                    .contains("o.a.k.", "Kafka version");
            assertThat(out).contains("  Configuration: 12 sensors, 500 readings/s", "  Learner: horizon 1, ");
            assertThat(out).as("the learner settings given are shown, derived defaults are not")
                    .contains(", combine false (learner.* settings").doesNotContain("linear.lags", "autoregressive");

            // The summary, after the signal.
            assertThat(out).containsPattern("\ndemo stopped \\(Ctrl-C or SIGTERM\\): [\\d,]+ readings produced, "
                    + "[\\d,]+ forecasts read back\n");
            String summary = out.substring(out.indexOf("\ndemo stopped"));
            assertThat(summary).containsPattern("\n  run time +\\d")
                    .containsPattern("\n  records +[\\d,]+ produced, [1-9][\\d,]* processed\n")
                    .containsPattern("\n  forecasts +[1-9][\\d,]* read back\n")
                    .containsPattern("\n  model +v\\d+\n")
                    .containsPattern("\n  MAE model \\d+\\.\\d+ vs persistence \\d+\\.\\d+ \\(last \\d+: ")
                    .containsPattern("\n  dead letters +\\d+\n");

            // Nothing of the demo's left in its temp dir but the log it named.
            assertThat(streamGruDirectories(tmp)).as("temp dirs left").isEmpty();
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("streamgru")))
                        .containsExactly(logFile.getFileName().toString());
            }
        }
    }

    private static List<Path> streamGruDirectories(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith("streamgru")).toList();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
