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

/** {@code streamgru evaluate} end to end on small CSV files, as a user runs it. */
class EvaluateCommandTest {

    @TempDir
    Path dir;

    /** Two sensors, a temperature following a daily cycle and a load feature; one target gap, one feature gap. */
    private Path sensorsCsv(int rowsPerKey) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("time,sensor,load,temperature");
        for (int t = 0; t < rowsPerKey; t++) {
            for (String sensor : new String[] {"a", "b"}) {
                double phase = sensor.equals("a") ? 0 : 1;
                double load = Math.sin(2 * Math.PI * t / 24.0 + phase);
                double temp = 20 + 5 * Math.sin(2 * Math.PI * (t - 2) / 24.0 + phase);
                String loadCell = t == 10 && sensor.equals("a") ? "" : String.format(Locale.ROOT, "%.5f", load);
                String tempCell = t == 20 && sensor.equals("b") ? "" : String.format(Locale.ROOT, "%.5f", temp);
                lines.add(t + "," + sensor + "," + loadCell + "," + tempCell);
            }
        }
        Path file = dir.resolve("sensors.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void reportsPrequentialErrorsNextToPersistenceAsJson() throws IOException {
        Path csv = sensorsCsv(1500);

        var r = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--features", "load",
                "--key", "sensor", "--json", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("records").asInt()).isEqualTo(3000);
        assertThat(json.get("series").asInt()).isEqualTo(2);
        assertThat(json.get("missing_targets").asInt()).isEqualTo(1);
        assertThat(json.get("imputed_values").asInt()).isEqualTo(1);
        for (String field : List.of("mae", "rmse", "mae_last10", "persistence_mae", "persistence_mae_last10",
                "train_records_per_second")) {
            assertThat(json.get(field).isNumber()).as(field).isTrue();
        }
        // A smooth daily cycle is easy: the learner must beat persistence clearly by the end.
        assertThat(json.get("mae_last10").asDouble()).isLessThan(json.get("persistence_mae_last10").asDouble() / 2);
    }

    /**
     * With the combination of experts on (the default), {@code mae} is the published (combined)
     * forecast's and {@code model_alone} the model's own, which the combination never changes: it is
     * the forecast of a run with {@code --no-combine}, row for row. After a level shift inside the last
     * 10 % the combination follows persistence while the model catches up.
     */
    @Test
    void reportsTheCombinedForecastAndTheModelAloneWhichTheCombinationLeavesUnchanged() throws IOException {
        Path csv = dir.resolve("shift.csv");
        StringBuilder rows = new StringBuilder("x\n");
        java.util.Random random = new java.util.Random(3);
        for (int t = 0; t < 3000; t++) {
            rows.append(Math.sin(0.05 * t) + 0.1 * random.nextGaussian() + (t >= 2850 ? 5 : 0)).append('\n');
        }
        Files.writeString(csv, rows);
        Path combined = dir.resolve("combined.csv");
        Path alone = dir.resolve("alone.csv");
        var on = run("evaluate", "--input", csv.toString(), "--target", "x", "--predictions", combined.toString(),
                "--json", "--quiet");
        var off = run("evaluate", "--input", csv.toString(), "--target", "x", "--no-combine", "--predictions",
                alone.toString(), "--json", "--quiet");
        assertThat(on.exitCode()).as(on.err()).isZero();
        assertThat(off.exitCode()).as(off.err()).isZero();
        JsonNode withExperts = new ObjectMapper().readTree(on.out());
        JsonNode without = new ObjectMapper().readTree(off.out());

        assertThat(withExperts.get("config").get("combine").asBoolean()).isTrue();
        assertThat(without.get("config").get("combine").asBoolean()).isFalse();
        for (String field : List.of("mae", "rmse", "mae_last10")) {
            assertThat(withExperts.get("model_alone").get(field).asDouble()).as(field)
                    .isEqualTo(without.get(field).asDouble())
                    .isEqualTo(without.get("model_alone").get(field).asDouble());
        }
        List<String> a = Files.readAllLines(combined);
        List<String> b = Files.readAllLines(alone);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 1; i < a.size(); i++) {
            String[] x = a.get(i).split(",", -1);
            String[] y = b.get(i).split(",", -1);
            assertThat(x[6]).as("row %d: the model's own forecast", i).isEqualTo(y[6]).isEqualTo(y[2]);
        }
        double modelAlone = withExperts.get("model_alone").get("mae_last10").asDouble();
        double persistence = withExperts.get("persistence_mae_last10").asDouble();
        assertThat(modelAlone).as("the model alone lags behind the shift").isGreaterThan(persistence);
        assertThat(withExperts.get("mae_last10").asDouble()).as("the combination does not")
                .isLessThan(modelAlone).isLessThanOrEqualTo(1.05 * persistence);
    }

    /**
     * {@code --season} is the learner's ({@code learner.season}): on hourly readings with a daily cycle
     * (a square wave of 4 high hours plus noise) seasonal naive joins the combination, dominates most
     * forecasts ({@code dominant_expert}) and takes the published error well below the model alone's
     * and persistence's; the report's seasonal naive baseline is the same season's. Without it the
     * panel is the model and persistence, and the model alone is the same in both runs.
     */
    @Test
    void theSeasonMakesSeasonalNaiveAnExpertAndTheReportsBaseline() throws IOException {
        Path csv = dir.resolve("daily.csv");
        StringBuilder rows = new StringBuilder("site,x\n");
        java.util.Random random = new java.util.Random(24);
        for (int t = 0; t < 3000; t++) {
            int hour = t % 24;
            rows.append("s,").append(10 + (hour >= 8 && hour < 12 ? 3 : 0) + 0.1 * random.nextGaussian()).append('\n');
        }
        Files.writeString(csv, rows);
        Path report = dir.resolve("report");
        var seasonal = run("evaluate", "--input", csv.toString(), "--target", "x", "--key", "site", "--season", "24",
                "--report", report.toString(), "--json", "--quiet");
        var plain = run("evaluate", "--input", csv.toString(), "--target", "x", "--key", "site", "--json", "--quiet");
        assertThat(seasonal.exitCode()).as(seasonal.err()).isZero();
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        JsonNode with = new ObjectMapper().readTree(seasonal.out());
        JsonNode without = new ObjectMapper().readTree(plain.out());

        assertThat(with.get("config").get("season").asInt()).isEqualTo(24);
        JsonNode dominant = with.get("dominant_expert");
        assertThat(iterable(dominant.fieldNames())).containsExactly("model", "persistence", "linear", "seasonal_naive");
        assertThat(dominant.get("seasonal_naive").asLong()).isGreaterThan(2000);
        assertThat(iterable(without.get("dominant_expert").fieldNames())).containsExactly("model", "persistence", "linear");
        assertThat(with.get("model_alone").get("mae").asDouble())
                .isEqualTo(without.get("model_alone").get("mae").asDouble());
        double published = with.get("mae_last10").asDouble();
        assertThat(published).isLessThan(0.8 * with.get("model_alone").get("mae_last10").asDouble())
                .isLessThan(0.5 * with.get("persistence_mae_last10").asDouble());

        JsonNode methods = new ObjectMapper().readTree(report.resolve("report.json").toFile()).get("methods");
        assertThat(methods.toString()).contains("seasonal_naive").contains("\"season\":24");
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /**
     * The {@code interval} object: the share of scored forecasts whose interval held the actual, as
     * recomputed from the predictions file's bounds, near the 90 % level on a series the model learns.
     */
    @Test
    void reportsTheCoverageOfTheIntervalsThePredictionsFileHolds() throws IOException {
        Path predictions = dir.resolve("predictions.csv");
        var r = run("evaluate", "--input", sensorsCsv(1500).toString(), "--target", "temperature", "--features",
                "load", "--key", "sensor", "--predictions", predictions.toString(), "--json", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode interval = new ObjectMapper().readTree(r.out()).get("interval");
        int covered = 0;
        int scored = 0;
        int coveredLast = 0;
        int scoredLast = 0;
        double widthLast = 0;
        List<String> lines = Files.readAllLines(predictions);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[3].isEmpty() || cells[4].isEmpty()) {
                continue;
            }
            double target = Double.parseDouble(cells[3]);
            double lower = Double.parseDouble(cells[4]);
            double upper = Double.parseDouble(cells[5]);
            boolean hit = lower <= target && target <= upper;
            scored++;
            covered += hit ? 1 : 0;
            if (Long.parseLong(cells[0]) > 3000 - 300) {
                scoredLast++;
                coveredLast += hit ? 1 : 0;
                widthLast += upper - lower;
            }
        }
        assertThat(interval.get("level").asDouble()).isEqualTo(0.9);
        assertThat(interval.get("scored").asInt()).isEqualTo(scored).isGreaterThan(2900);
        assertThat(interval.get("coverage").asDouble()).isCloseTo(covered / (double) scored,
                org.assertj.core.api.Assertions.within(1e-3)); // bounds in the file are rounded by subtraction
        assertThat(interval.get("coverage_last10").asDouble()).isCloseTo(coveredLast / (double) scoredLast,
                org.assertj.core.api.Assertions.within(1e-2));
        assertThat(interval.get("mean_width_last10").asDouble()).isCloseTo(widthLast / scoredLast,
                org.assertj.core.api.Assertions.withinPercentage(1e-6));
        assertThat(interval.get("coverage").asDouble()).isBetween(0.87, 0.93);
        // 300 scored rows: the binomial 99 % band around 90 % is ±4.5 points
        assertThat(interval.get("coverage_last10").asDouble()).isBetween(0.855, 0.945);
    }

    @Test
    void theIntervalLevelIsASetting() throws IOException {
        var r = run("evaluate", "--input", sensorsCsv(1500).toString(), "--target", "temperature", "--features",
                "load", "--key", "sensor", "--interval-level", "0.5", "--json", "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode interval = new ObjectMapper().readTree(r.out()).get("interval");
        assertThat(interval.get("level").asDouble()).isEqualTo(0.5);
        assertThat(interval.get("coverage").asDouble()).isBetween(0.47, 0.53);
        var bad = run("evaluate", "--input", sensorsCsv(10).toString(), "--target", "temperature",
                "--interval-level", "90", "--quiet");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("interval.level", "must be > 0 and < 1");
    }

    @Test
    void readableSummaryNamesTheNumbers() throws IOException {
        var r = run("evaluate", "--input", sensorsCsv(200).toString(), "--target", "temperature", "--key", "sensor",
                "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("MAE", "RMSE", "MAE last 10%", "persistence", "records/s", "400 in 2 series");
    }

    @Test
    void predictionsFileHasOneLinePerRowWithTheForecastMadeForThatRow() throws IOException {
        Path csv = sensorsCsv(100);
        Path predictions = dir.resolve("predictions.csv");

        var r = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--key", "sensor",
                "--horizon", "1", "--predictions", predictions.toString(), "--quiet");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(predictions);
        assertThat(lines).hasSize(201);
        assertThat(lines.get(0)).isEqualTo("row,key,prediction,target,lower,upper,model_forecast");
        // Horizon 1: the first row of each sensor has no forecast yet; the second has one, without an
        // interval (no error of the key was known when it was made); the third has both. The model's own
        // forecast comes last.
        String number = "-?[0-9.E-]+";
        assertThat(lines.get(1)).matches("1,a,," + number + ",,,");
        assertThat(lines.get(2)).matches("2,b,," + number + ",,,");
        assertThat(lines.get(3)).matches("3,a," + number + "," + number + ",,," + number);
        assertThat(lines.get(5)).matches("5,a," + number + "," + number + "," + number + "," + number + "," + number);
        // The row whose target is missing (sensor b, t = 20 -> row 42) has a forecast but no target.
        assertThat(lines.get(42)).matches("42,b," + number + ",," + number + "," + number + "," + number);
    }

    @Test
    void sameSeedAndDataGiveIdenticalResults() throws IOException {
        Path csv = sensorsCsv(300);
        String[] args = {"evaluate", "--input", csv.toString(), "--target", "temperature", "--key", "sensor",
            "--json", "--quiet", "--seed", "7"};
        JsonNode a = new ObjectMapper().readTree(run(args).out());
        JsonNode b = new ObjectMapper().readTree(run(args).out());
        assertThat(a.get("mae").asDouble()).isEqualTo(b.get("mae").asDouble());
        assertThat(a.get("rmse").asDouble()).isEqualTo(b.get("rmse").asDouble());
    }

    @Test
    void theJsonSaysHowManyChunksTheInfluenceCapScaledDown() throws IOException {
        // Two smooth sensors, then a wild one: a load a thousand times theirs, a target jumping over decades.
        List<String> lines = new ArrayList<>(Files.readAllLines(sensorsCsv(400)));
        for (int t = 0; t < 200; t++) {
            lines.add((400 + t) + ",wild," + (t % 2 == 0 ? 1000 : -1000) + ","
                    + (t % 2 == 0 ? 1 : -1) * Math.pow(10, 1 + (t * 7919 % 5)));
        }
        Path csv = dir.resolve("with-wild.csv");
        Files.write(csv, lines);
        long[] capped = new long[2];
        String[] influence = {"2", "0"};
        for (int i = 0; i < 2; i++) {
            var r = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--features", "load",
                    "--key", "sensor", "--hidden", "8", "--chunk-influence", influence[i], "--json", "--quiet");
            assertThat(r.exitCode()).as(r.err()).isZero();
            capped[i] = new ObjectMapper().readTree(r.out()).get("capped_chunks").asLong();
        }
        assertThat(capped[0]).as("capped at 2x the typical chunk").isPositive();
        assertThat(capped[1]).as("no cap").isZero();
    }

    @Test
    void savedModelReloadsForInferenceWithTheSameShapeAndStatistics() throws IOException {
        Path csv = sensorsCsv(600);
        Path model = dir.resolve("model.safetensors");
        var train = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--features", "load",
                "--key", "sensor", "--hidden", "12", "--save-model", model.toString(), "--json", "--quiet");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(model).isNotEmptyFile();

        var infer = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--features", "load",
                "--key", "sensor", "--model", model.toString(), "--no-learn", "--json", "--quiet");

        assertThat(infer.exitCode()).as(infer.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(infer.out());
        assertThat(json.get("optimizer_steps").asInt()).isZero();
        assertThat(json.get("config").get("hidden").asInt()).isEqualTo(12);
        assertThat(json.get("config").get("learn").asBoolean()).isFalse();
        // The trained model, frozen, is already good from the first rows on.
        JsonNode trained = new ObjectMapper().readTree(train.out());
        assertThat(json.get("mae").asDouble()).isLessThan(trained.get("mae").asDouble());
    }

    @Test
    void unknownColumnIsAClearErrorListingTheColumns() throws IOException {
        var r = run("evaluate", "--input", sensorsCsv(10).toString(), "--target", "temperatur");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown column 'temperatur'", "time, sensor, load, temperature");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void nonNumericCellNamesTheLineAndColumn() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.write(csv, List.of("t,value", "0,1.5", "1,2.5", "2,warm", "3,3.5"));

        var r = run("evaluate", "--input", csv.toString(), "--target", "value");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("line 4", "column 'value'", "'warm' is not a number");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void emptyAndHeaderOnlyFilesAreClearErrors() throws IOException {
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        Path headerOnly = dir.resolve("header.csv");
        Files.writeString(headerOnly, "t,value\n");

        var r1 = run("evaluate", "--input", empty.toString(), "--target", "value");
        var r2 = run("evaluate", "--input", headerOnly.toString(), "--target", "value");
        var r3 = run("evaluate", "--input", dir.resolve("missing.csv").toString(), "--target", "value");

        assertThat(r1.exitCode()).isEqualTo(2);
        assertThat(r1.err()).contains("is empty");
        assertThat(r2.exitCode()).isEqualTo(2);
        assertThat(r2.err()).contains("no data rows");
        assertThat(r3.exitCode()).isEqualTo(2);
        assertThat(r3.err()).contains("no such file");
    }

    @Test
    void badOptionValuesAreClearErrors() throws IOException {
        Path csv = sensorsCsv(10);

        var optimizer = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--optimizer", "adamax");
        var hidden = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--hidden", "zero");
        var noInputs = run("evaluate", "--input", csv.toString(), "--target", "temperature", "--no-autoregressive");

        assertThat(optimizer.exitCode()).isEqualTo(2);
        assertThat(optimizer.err()).contains("optimizer", "'adamax'", "must be one of sgd, momentum, nesterov, adam, adamw, rmsprop");
        assertThat(hidden.exitCode()).isEqualTo(2);
        assertThat(hidden.err()).contains("--hidden");
        assertThat(noInputs.exitCode()).isEqualTo(2);
        assertThat(noInputs.err()).contains("needs the autoregressive input");
    }
}
