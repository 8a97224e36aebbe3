package io.streamgru.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.PrequentialEvaluation;
import io.streamgru.model.online.SeriesDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streamed run: the numbers of model-core's whole-array prequential evaluation, row for row. */
class EvaluationRunTest {

    @TempDir
    Path dir;

    /** Three interleaved keys, a feature with gaps, some unknown targets. */
    private static SeriesDataset data(int rows) {
        Random random = new Random(3);
        int[] series = new int[rows];
        double[] features = new double[rows];
        double[] targets = new double[rows];
        for (int i = 0; i < rows; i++) {
            series[i] = random.nextInt(3);
            features[i] = random.nextInt(20) == 0 ? Double.NaN : Math.cos(0.05 * i);
            targets[i] = random.nextInt(15) == 0 ? Double.NaN : 10 * series[i] + Math.sin(0.1 * i) + features[i];
        }
        return new SeriesDataset(series, 1, features, targets);
    }

    @Test
    void aStreamedRunHasExactlyTheNumbersOfTheWholeArrayEvaluation() throws IOException {
        SeriesDataset data = data(3000);
        LearnerConfig config = LearnerConfig.builder().features(1).hidden(6).chunk(4).window(8).build();
        PrequentialEvaluation.Result whole = PrequentialEvaluation.run(new OnlineForecaster(config), data);

        Path file = dir.resolve("predictions.csv");
        EvaluationRun.Outcome streamed;
        try (PredictionsWriter predictions = PredictionsWriter.open(file)) {
            EvaluationRun run = new EvaluationRun(new OnlineForecaster(config), data.rows(), predictions, null,
                    PrequentialEvaluation.Progress.NONE);
            new LoadedDataset(data, List.of("a", "b", "c"), "k", List.of("x"), "y").feed(run);
            streamed = run.finish();
        }

        assertThat(streamed.records()).isEqualTo(3000);
        assertThat(streamed.model().count()).isEqualTo(whole.model().count()).isGreaterThan(2500);
        assertThat(streamed.model().mae()).isEqualTo(whole.model().mae());
        assertThat(streamed.model().rmse()).isEqualTo(whole.model().rmse());
        assertThat(streamed.baseline().mae()).isEqualTo(whole.baseline().mae());
        assertThat(streamed.modelLast10().mae()).isEqualTo(whole.modelLast10().mae());
        assertThat(streamed.baselineLast10().mae()).isEqualTo(whole.baselineLast10().mae());
        assertThat(streamed.missingTargets()).isEqualTo(whole.missingTargets());
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3001);
        for (int i = 0; i < 3000; i++) {
            String[] cells = lines.get(i + 1).split(",", -1);
            assertThat(Long.parseLong(cells[0])).isEqualTo(i + 1);
            Double expected = whole.predictions()[i]; // boxed: NaN (no forecast) equals NaN
            assertThat(cells[2].isEmpty() ? Double.NaN : Double.parseDouble(cells[2])).as("row %d", i + 1)
                    .isEqualTo(expected);
        }
    }

    @Test
    void rejectedRowsTakeARowNumberAndAreCountedButNeverLearnedFrom() {
        LearnerConfig config = LearnerConfig.builder().hidden(4).chunk(4).window(4).build();
        OnlineForecaster forecaster = new OnlineForecaster(config);
        EvaluationRun run = new EvaluationRun(forecaster, 5, null, null, PrequentialEvaluation.Progress.NONE);
        run.accept("a", new double[0], 1);
        run.reject(InvalidRecordException.Reason.OUT_OF_RANGE, "too big");
        run.accept("a", new double[0], 2);
        run.reject(InvalidRecordException.Reason.OUT_OF_RANGE, "too big");
        run.reject(InvalidRecordException.Reason.NON_FINITE, "infinite");

        EvaluationRun.Outcome outcome = run.finish();

        assertThat(outcome.rows()).isEqualTo(5);
        assertThat(outcome.records()).isEqualTo(2);
        assertThat(forecaster.records()).isEqualTo(2);
        assertThat(outcome.rejected()).containsExactly(java.util.Map.entry("NON_FINITE", 1L),
                java.util.Map.entry("OUT_OF_RANGE", 2L));
        assertThat(outcome.rejectedTotal()).isEqualTo(3);
    }
}
