package io.streamgru.app.cli;

import static io.streamgru.app.cli.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}: rows too extreme to learn from are rejected, counted by reason, and never reach the model. */
class EvaluateRejectedRowsTest {

    @TempDir
    Path dir;

    private Path sine(int rows, int poisonRow, String poison) throws IOException {
        List<String> lines = new ArrayList<>(List.of("t,y"));
        for (int t = 0; t < rows; t++) {
            lines.add(t + "," + (t == poisonRow ? poison : String.format(Locale.ROOT, "%.6f", Math.sin(0.01 * t))));
        }
        Path file = dir.resolve("sine.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void oneTargetOf1e300IsRejectedAndTheModelStillBeatsPersistence() throws IOException {
        Path predictions = dir.resolve("predictions.csv");
        var r = run("evaluate", "--input", sine(10_000, 5_000, "1e300").toString(), "--target", "y",
                "--predictions", predictions.toString(), "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("rejected_rows").size()).isEqualTo(1);
        assertThat(json.get("rejected_rows").get("OUT_OF_RANGE").asLong()).isEqualTo(1);
        assertThat(json.get("records").asLong()).isEqualTo(9_999);
        for (String field : List.of("mae", "rmse", "mae_last10", "persistence_mae_last10")) {
            assertThat(json.get(field).isNumber()).as(field).isTrue();
            assertThat(Double.isFinite(json.get(field).asDouble())).as(field).isTrue();
        }
        assertThat(json.get("mae_last10").asDouble()).isLessThan(json.get("persistence_mae_last10").asDouble());
        assertThat(r.err()).contains("rows rejected, never learned from: 1 (", "OUT_OF_RANGE", "line 5002", "column 'y' = 1e300");
        // The rejected row keeps its row number and has no line in the predictions.
        List<String> lines = Files.readAllLines(predictions);
        assertThat(lines).hasSize(10_000);
        assertThat(lines.get(5_000)).startsWith("5000,");
        assertThat(lines.get(5_001)).startsWith("5002,");
        assertThat(lines).noneMatch(line -> line.contains("E300"));
    }

    @Test
    void infinityIsRejectedAsNonFiniteAndNanIsAMissingTarget() throws IOException {
        var infinite = run("evaluate", "--input", sine(300, 100, "-Infinity").toString(), "--target", "y", "--json",
                "--quiet");
        var missing = run("evaluate", "--input", sine(300, 100, "NaN").toString(), "--target", "y", "--json",
                "--quiet");

        assertThat(infinite.exitCode()).as(infinite.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(infinite.out());
        assertThat(a.get("rejected_rows").get("NON_FINITE").asLong()).isEqualTo(1);
        assertThat(a.get("records").asLong()).isEqualTo(299);
        assertThat(missing.exitCode()).as(missing.err()).isZero();
        JsonNode b = new ObjectMapper().readTree(missing.out());
        assertThat(b.get("rejected_rows").size()).isZero();
        assertThat(b.get("records").asLong()).isEqualTo(300);
        assertThat(b.get("missing_targets").asLong()).isEqualTo(1);
    }

    @Test
    void aNumberInAnotherNotationIsAnErrorNamingLineAndColumn() throws IOException {
        for (String notation : List.of("0x1p3", "21d", "1_000")) {
            var r = run("evaluate", "--input", sine(50, 20, notation).toString(), "--target", "y");

            assertThat(r.exitCode()).as(notation).isEqualTo(2);
            assertThat(r.err()).contains("line 22", "column 'y'", "'" + notation + "' is not a number");
        }
    }

    @Test
    void aRejectedReadingOfAFeatureRejectsItsRow() throws IOException {
        List<String> lines = new ArrayList<>(List.of("x,y"));
        for (int t = 0; t < 200; t++) {
            lines.add((t == 50 ? "2e200" : Double.toString(Math.cos(0.1 * t))) + "," + Math.sin(0.1 * t));
        }
        Path file = dir.resolve("features.csv");
        Files.write(file, lines);

        var r = run("evaluate", "--input", file.toString(), "--target", "y", "--features", "x", "--json", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("rejected_rows").get("OUT_OF_RANGE").asLong()).isEqualTo(1);
        assertThat(json.get("records").asLong()).isEqualTo(199);
        assertThat(json.get("imputed_values").asLong()).isZero();
    }

    @Test
    void noScoredRowIsAnErrorThatSaysWhy() throws IOException {
        List<String> rejected = new ArrayList<>(List.of("y"));
        List<String> unlabelled = new ArrayList<>(List.of("x,y"));
        for (int t = 0; t < 30; t++) {
            rejected.add(t % 2 == 0 ? "1e300" : "inf");
            unlabelled.add(t + ",");
        }
        Path allRejected = dir.resolve("rejected.csv");
        Files.write(allRejected, rejected);
        Path noTargets = dir.resolve("unlabelled.csv");
        Files.write(noTargets, unlabelled);

        var r1 = run("evaluate", "--input", allRejected.toString(), "--target", "y", "--json");
        var r2 = run("evaluate", "--input", noTargets.toString(), "--target", "y", "--features", "x", "--json");

        assertThat(r1.exitCode()).isEqualTo(1);
        assertThat(r1.out()).isEmpty(); // no metrics of nothing
        assertThat(r1.err()).contains("error: nothing to evaluate: all 30 rows were rejected (NON_FINITE 15, OUT_OF_RANGE 15;");
        assertThat(r1.err()).doesNotContain("\tat ");
        assertThat(r2.exitCode()).isEqualTo(1);
        assertThat(r2.out()).isEmpty();
        assertThat(r2.err()).contains("error: nothing to evaluate: every target is missing (30 rows)");
    }
}
