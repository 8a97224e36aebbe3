package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.PyTorch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's PyTorch inference recipe runs as printed and forecasts a key exactly as StreamGRU does:
 * the python block between {@code <!-- recipe:begin -->} and {@code <!-- recipe:end -->} is run
 * with Debian's python3 on a model trained by {@code evaluate --save-model} and on one key's
 * history, and its forecasts must equal the {@code model_forecast} column (the model's own forecast,
 * before any combination with other forecasters) of {@code evaluate --model FILE --no-learn
 * --predictions OUT.csv} over the same rows to 1e-6. Needs python3-torch: skipped
 * with the reason when it is absent, unless CI_REQUIRE_TORCH=1 (as in CI), which makes that a failure.
 */
class PyTorchRecipeTest {

    private static final Path README = Path.of("../README.md");
    private static final String BEGIN = "<!-- recipe:begin -->";
    private static final String END = "<!-- recipe:end -->";
    private static final double TOLERANCE = 1e-6;
    private static final String KEY = "pump-2";

    @TempDir
    Path dir;

    @BeforeAll
    static void torchIsAvailable() throws Exception {
        PyTorch.assumeAvailable();
    }

    @Test
    void recipeReproducesTheModelsOwnForecastsOfOneKey() throws Exception {
        assertRecipeReproducesForecasts(1); // the defaults: with the linear path
    }

    @Test
    void recipeReproducesForecastsSeveralRowsAhead() throws Exception {
        assertRecipeReproducesForecasts(3);
    }

    private void assertRecipeReproducesForecasts(int horizon, String... trainArgs) throws Exception {
        Path model = trainedModel(horizon, trainArgs);
        // New rows of three keys with missing features, a missing target and a spike: the key's
        // statistics start empty, the shared ones stay as in the file, gaps are imputed, z clipped.
        Path history = writeRows("history.csv", 260, 11, true);
        Path predictions = dir.resolve("predictions.csv");
        CommandRun reference = CommandRun.run("evaluate", "--input", history.toString(), "--target", "flow",
                "--features", "pressure,temp", "--key", "pump", "--model", model.toString(), "--no-learn",
                "--predictions", predictions.toString(), "--quiet");
        assertThat(reference.exitCode()).as(reference.err()).isZero();

        List<Double> recipe = runRecipe(model, history, "--target", "flow", "--features", "pressure,temp",
                "--key", "pump", KEY);

        // evaluate writes, on each row, the forecast made `horizon` rows earlier for that row's target.
        List<Double> own = predictionsOf(predictions, KEY);
        assertThat(own.subList(0, horizon)).as("a key's first rows have no forecast").allMatch(v -> v.isNaN());
        assertThat(recipe).hasSize(own.size());
        double worst = 0;
        for (int i = horizon; i < own.size(); i++) {
            worst = Math.max(worst, Math.abs(recipe.get(i - horizon) - own.get(i)));
        }
        assertThat(worst).as("largest difference from the model's own forecasts").isLessThanOrEqualTo(TOLERANCE);
        // The forecasts are the model's, not the persistence forecast the recipe would give without it.
        assertThat(distinctChanges(recipe, history)).isGreaterThan(own.size() / 2);
    }

    @Test
    void recipeReproducesAModelWithoutALinearPath() throws Exception {
        assertRecipeReproducesForecasts(1, "--linear-lags", "0");
    }

    /** A model trained on other rows of the same pumps, so its parameters and feature statistics are not fresh. */
    private Path trainedModel(int horizon, String... extra) {
        Path rows = writeRows("train.csv", 900, 5, false);
        Path model = dir.resolve("model.safetensors");
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--input", rows.toString(), "--target", "flow",
                "--features", "pressure,temp", "--key", "pump", "--hidden", "8", "--horizon", Integer.toString(horizon),
                "--save-model", model.toString(), "--quiet"));
        args.addAll(List.of(extra));
        CommandRun train = CommandRun.run(args.toArray(String[]::new));
        assertThat(train.exitCode()).as(train.err()).isZero();
        return model;
    }

    /**
     * Rows of three pumps in turn, each in its own units (flows around 40, 400 and 4000), the
     * features shared; with {@code gaps}, some feature cells and one target of {@link #KEY} empty,
     * and one spike in its flow, far beyond the ±10 z-scores the inputs are clipped to.
     */
    private Path writeRows(String name, int perKey, long seed, boolean gaps) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("time,pump,pressure,temp,flow\n");
        for (int t = 0; t < perKey; t++) {
            for (int k = 1; k <= 3; k++) {
                double pressure = 2 + Math.sin(0.07 * t + k) + 0.1 * random.nextGaussian();
                double temp = 20 + 5 * Math.cos(0.011 * t) + random.nextGaussian();
                double flow = Math.pow(10, k) * 4 * (1 + 0.2 * Math.sin(0.07 * t + k - 0.5) + 0.01 * (temp - 20))
                        + Math.pow(10, k - 1) * random.nextGaussian();
                boolean ours = ("pump-" + k).equals(KEY);
                String p = gaps && ours && t % 17 == 5 ? "" : fmt(pressure);
                String tc = gaps && ours && (t % 29 == 3 || t == 0) ? "" : fmt(temp);
                String f = gaps && ours && t == 40 ? "" : fmt(gaps && ours && t == 120 ? 10 * flow : flow);
                csv.append(t).append(",pump-").append(k).append(',').append(p).append(',').append(tc).append(',')
                        .append(f).append('\n');
            }
        }
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** The README's recipe, as printed there, in a file. */
    private Path recipeFile() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README marks the recipe with " + BEGIN).isGreaterThanOrEqualTo(0);
        assertThat(end).as("README ends the recipe with " + END).isGreaterThan(begin);
        String block = readme.substring(begin + BEGIN.length(), end).strip();
        assertThat(block).startsWith("```python\n").endsWith("\n```");
        Path file = dir.resolve("forecast_key.py");
        Files.writeString(file, block.substring("```python\n".length(), block.length() - "```".length()));
        return file;
    }

    private List<Double> runRecipe(Path model, Path history, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(recipeFile().toString(), model.toString(), history.toString()));
        command.addAll(List.of(args));
        Result r = python(command);
        assertThat(r.exit).as(r.output).isZero();
        List<Double> forecasts = new ArrayList<>();
        for (String line : r.output.strip().split("\n")) {
            forecasts.add(Double.parseDouble(line.strip()));
        }
        return forecasts;
    }

    /** The {@code model_forecast} column of one key's rows (NaN where empty), in row order. */
    private static List<Double> predictionsOf(Path predictions, String key) throws IOException {
        List<String> lines = Files.readAllLines(predictions);
        assertThat(lines.get(0)).isEqualTo("row,key,prediction,target,lower,upper,model_forecast");
        List<Double> values = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[1].equals(key)) {
                values.add(cells[6].isEmpty() ? Double.NaN : Double.parseDouble(cells[6]));
            }
        }
        return values;
    }

    /** How many of the forecasts differ from the key's last known target (persistence) by more than 1e-6. */
    private static int distinctChanges(List<Double> forecasts, Path history) throws IOException {
        List<String> lines = Files.readAllLines(history);
        int differ = 0;
        int row = 0;
        double last = Double.NaN;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (!cells[1].equals(KEY)) {
                continue;
            }
            if (!cells[4].isEmpty()) {
                last = Double.parseDouble(cells[4]);
            }
            if (Math.abs(forecasts.get(row++) - last) > 1e-6) {
                differ++;
            }
        }
        return differ;
    }

    private record Result(int exit, String output) {
    }

    private Result python(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/python3");
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish: " + output);
        }
        return new Result(p.exitValue(), output);
    }
}
