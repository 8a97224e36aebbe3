package io.streamgru.model.online;

import java.util.Arrays;

/**
 * Progressive validation (as River's {@code evaluate.progressive_val_score}): one pass over a
 * dataset, every row is first forecast, then learned from. Each forecast is scored when its truth
 * arrives, next to the persistence baseline (the last known target of the series when the
 * forecast was made). Rows are scored where the target is known and both forecasts exist.
 */
public final class PrequentialEvaluation {

    /** Called now and then with the rows done so far, for progress display. */
    @FunctionalInterface
    public interface Progress {
        void rowsDone(int done, int total);

        Progress NONE = (done, total) -> { };
    }

    /** What a run produced. Arrays have one entry per row: the forecast FOR that row's target. */
    public record Result(double[] predictions, double[] persistence, ErrorStats model, ErrorStats baseline,
                         ErrorStats modelLast10, ErrorStats baselineLast10, double trainSeconds, long missingTargets) {

        /** Records per second of the learning loop alone. */
        public double recordsPerSecond() {
            return predictions.length / trainSeconds;
        }
    }

    private PrequentialEvaluation() {
    }

    public static Result run(OnlineForecaster forecaster, SeriesDataset data) {
        return run(forecaster, data, Progress.NONE);
    }

    public static Result run(OnlineForecaster forecaster, SeriesDataset data, Progress progress) {
        int rows = data.rows();
        int f = data.featureCount();
        int seriesCount = data.seriesCount();
        SeriesState[] states = new SeriesState[seriesCount];
        double[] predictions = new double[rows];
        double[] persistence = new double[rows];
        Arrays.fill(predictions, Double.NaN);
        Arrays.fill(persistence, Double.NaN);
        double[] features = new double[f];
        ErrorStats model = new ErrorStats();
        ErrorStats baseline = new ErrorStats();
        ErrorStats modelLast10 = new ErrorStats();
        ErrorStats baselineLast10 = new ErrorStats();
        int last10Start = rows - rows / 10;
        long missing = 0;

        long started = System.nanoTime();
        long reported = started;
        for (int i = 0; i < rows; i++) {
            int s = data.series()[i];
            SeriesState state = states[s];
            if (state == null) {
                state = forecaster.newSeries();
                states[s] = state;
            }
            System.arraycopy(data.features(), i * f, features, 0, f);
            double target = data.targets()[i];
            if (!Double.isFinite(target)) {
                missing++;
            }
            forecaster.observe(state, features, target);
            predictions[i] = state.resolvedForecast();
            persistence[i] = state.resolvedBaseline();
            if (Double.isFinite(target) && !Double.isNaN(predictions[i]) && !Double.isNaN(persistence[i])) {
                model.add(predictions[i], target);
                baseline.add(persistence[i], target);
                if (i >= last10Start) {
                    modelLast10.add(predictions[i], target);
                    baselineLast10.add(persistence[i], target);
                }
            }
            if ((i & 1023) == 0) {
                long now = System.nanoTime();
                if (now - reported > 1_000_000_000L) {
                    progress.rowsDone(i, rows);
                    reported = now;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.rowsDone(rows, rows);
        return new Result(predictions, persistence, model, baseline, modelLast10, baselineLast10, seconds, missing);
    }
}
