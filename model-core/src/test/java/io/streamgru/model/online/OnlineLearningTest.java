package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The learner learns the classic sequence tasks in ONE online, prequential pass (each forecast is
 * made before its truth is used), with fixed seeds, and beats the naive baselines.
 */
class OnlineLearningTest {

    private static PrequentialEvaluation.Result evaluate(LearnerConfig config, SeriesDataset data) {
        return PrequentialEvaluation.run(new OnlineForecaster(config), data);
    }

    @Test
    void slowSineNextValueBeatsPersistence() {
        var r = evaluate(LearnerConfig.builder().horizon(1).build(), SyntheticSeries.sine(0.01, 10_000));
        report("sin(0.01t)", r);
        assertThat(r.modelLast10().mae()).isLessThan(r.baselineLast10().mae());
    }

    @Test
    void fastSineNextValueBeatsPersistenceTenfold() {
        var r = evaluate(LearnerConfig.builder().horizon(1).build(), SyntheticSeries.sine(0.1, 10_000));
        report("sin(0.1t)", r);
        assertThat(r.modelLast10().mae()).isLessThan(r.baselineLast10().mae() / 10);
    }

    @Test
    void integratorWithAutoregressiveInputBeatsPersistence() {
        var config = LearnerConfig.builder().features(1).horizon(0).autoregressive(true).build();
        var r = evaluate(config, SyntheticSeries.integrator(20_000, 7));
        report("integrator, AR", r);
        assertThat(r.modelLast10().mae()).isLessThan(r.baselineLast10().mae() / 2);
    }

    @Test
    void integratorWithoutAutoregressiveInputReachesMaeBelow005In50000Steps() {
        // Without the autoregressive input the GRU must integrate u itself, over long spans: long
        // chunks (k = 64) and a learning rate annealed over the run's ~780 optimizer steps.
        var config = LearnerConfig.builder().features(1).horizon(0).autoregressive(false)
                .chunk(64).schedule("cosine:800").build();
        SeriesDataset data = SyntheticSeries.integrator(50_000, 7);
        var r = evaluate(config, data);
        report("integrator, no AR", r);
        assertThat(r.modelLast10().mae()).isLessThan(0.05);
        // Persistence sees y_{t-1}, which this model is denied; the fair baseline is the running mean.
        assertThat(r.modelLast10().mae()).isLessThan(runningMeanMaeLast10(data.targets()) / 3);
    }

    private static double runningMeanMaeLast10(double[] y) {
        double sum = 0;
        double error = 0;
        int from = y.length - y.length / 10;
        for (int t = 0; t < y.length; t++) {
            if (t >= from) {
                error += Math.abs(sum / t - y[t]);
            }
            sum += y[t];
        }
        return error / (y.length - from);
    }

    @Test
    void laggedSeasonalRegressionBeatsPersistence() {
        var config = LearnerConfig.builder().features(8).horizon(0).build();
        var r = evaluate(config, SyntheticSeries.laggedRegression(20_000, 11));
        report("8-variable lagged regression", r);
        assertThat(r.modelLast10().mae()).isLessThan(r.baselineLast10().mae() / 2);
    }

    private static void report(String name, PrequentialEvaluation.Result r) {
        System.out.printf("%-30s MAE last10 %.5f  persistence %.5f  MAE %.5f  (%.0f rec/s)%n", name,
                r.modelLast10().mae(), r.baselineLast10().mae(), r.model().mae(), r.recordsPerSecond());
    }
}
