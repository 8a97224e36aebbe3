package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} streams its CSV: a file larger than the JVM's whole heap is evaluated, with
 * predictions and a report, in a separate JVM started with {@code -Xmx64m}. (Held in memory, the
 * file's cells alone would not fit.) The full-size run, a 200 MB file under {@code -Xmx256m}, and
 * its measured peak RSS are in docs/BENCHMARKS.md.
 */
class EvaluateMemoryTest {

    private static final int ROWS = 42_000;
    /** An unused text column makes the rows wide, so the file outgrows the heap with few rows (a short run). */
    private static final String NOTE = "x".repeat(1_600);

    @TempDir
    Path dir;

    @Test
    void aCsvLargerThanTheHeapIsEvaluatedWithPredictionsAndAReport() throws Exception {
        Path csv = dir.resolve("wide.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("t,sensor,note,value\n");
            for (int t = 0; t < ROWS; t++) {
                String sensor = t % 2 == 0 ? "a" : "b";
                w.write(String.format(Locale.ROOT, "%d,%s,%s,%.5f%n", t, sensor, NOTE, Math.sin(0.01 * (t / 2))));
            }
        }
        assertThat(Files.size(csv)).isGreaterThan(60L << 20); // 64 MB heap, and the JVM's own use of it

        Path predictions = dir.resolve("predictions.csv");
        ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), StreamGruCommand.class.getName(), "evaluate",
                "--input", csv.toString(), "--target", "value", "--key", "sensor", "--hidden", "8",
                "--predictions", predictions.toString(), "--report", dir.resolve("report").toString(),
                "--json", "--quiet")
                .redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.json").toFile());
        pb.environment().keySet().removeIf(name -> name.startsWith("STREAMGRU_"));
        Process process = pb.start();
        boolean exited = process.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("err.txt"));
        assertThat(exited).as("finished; stderr: " + err).isTrue();
        assertThat(process.exitValue()).as(err).isZero();

        JsonNode summary = new ObjectMapper().readTree(dir.resolve("out.json").toFile());
        assertThat(summary.get("records").asLong()).isEqualTo(ROWS);
        assertThat(summary.get("series").asInt()).isEqualTo(2);
        assertThat(summary.get("mae").isNumber()).isTrue();
        try (var lines = Files.lines(predictions)) {
            assertThat(lines.count()).isEqualTo(ROWS + 1);
        }
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report").resolve("report.json").toFile());
        assertThat(report.get("scored").asLong()).isEqualTo(summary.get("scored").asLong());
        assertThat(report.get("windows")).hasSize(10);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
