package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The naive baselines: the model's timing, and forecasts small enough to check by hand. */
class BaselineForecasterTest {

    private static final double NaN = Double.NaN;

    @Test
    void persistenceIsExactlyTheBaselineThePrequentialEvaluationScores() {
        // Three interleaved keys, irregular arrival, some unknown targets: the same forecasts row by row.
        Random random = new Random(5);
        int rows = 400;
        int[] series = new int[rows];
        double[] targets = new double[rows];
        for (int i = 0; i < rows; i++) {
            series[i] = random.nextInt(3);
            targets[i] = random.nextInt(10) == 0 ? NaN : Math.sin(0.2 * i) + series[i];
        }
        SeriesDataset data = new SeriesDataset(series, 0, new double[0], targets);
        for (int horizon : new int[] {0, 1, 3}) {
            LearnerConfig config = LearnerConfig.builder().hidden(4).chunk(4).window(4).horizon(horizon)
                    .autoregressive(true).build();
            PrequentialEvaluation.Result result = PrequentialEvaluation.run(new OnlineForecaster(config), data);

            double[] persistence = new Persistence(horizon).run(series, targets);

            assertThat(persistence).as("horizon %d", horizon).containsExactly(result.persistence());
        }
    }

    @Test
    void forecastsAreMadeHorizonRecordsOfTheSameKeyEarlier() {
        // Keys 0 and 1 interleaved; horizon 2: row i's forecast is key's target two of its records before.
        int[] series = {0, 1, 0, 1, 0, 1, 0, 1};
        double[] targets = {1, 10, 2, 20, 3, 30, 4, 40};

        assertThat(new Persistence(2).run(series, targets)).containsExactly(NaN, NaN, NaN, NaN, 1, 10, 2, 20);
        // Horizon 0: the forecast for a record is made before its own target is used.
        assertThat(new Persistence(0).run(series, targets)).containsExactly(NaN, NaN, 1, 10, 2, 20, 3, 30);
    }

    @Test
    void seasonalNaiveOnASeriesOfItsPeriodIsExactAfterTheFirstSeason() {
        double[] targets = {5, 7, 5, 7, 5, 7, 5, 7, 5, 7};
        int[] series = new int[targets.length];
        for (int horizon : new int[] {0, 1, 2, 3}) {
            SeasonalNaive naive = new SeasonalNaive(horizon, 2);
            double[] f = naive.run(series, targets);
            // Exact once the record a whole number of seasons back (>= the horizon) exists.
            int exactFrom = 2 * ((Math.max(horizon, 1) + 1) / 2);
            for (int i = exactFrom; i < targets.length; i++) {
                assertThat(f[i]).as("horizon %d, row %d", horizon, i).isEqualTo(targets[i]);
            }
        }
        // Horizon 1: row 1's forecast was made at row 0, a season before row 1 does not exist yet:
        // it falls back to persistence (5), and is the only fallback among the resolved forecasts.
        SeasonalNaive naive = new SeasonalNaive(1, 2);
        assertThat(naive.run(series, targets)).containsExactly(NaN, 5, 5, 7, 5, 7, 5, 7, 5, 7);
        assertThat(naive.fallbacks()).isEqualTo(1);
    }

    @Test
    void seasonalNaiveGoesBackWholeSeasonsAndFallsBackOverGaps() {
        // Season 3, horizon 4: the target at n+4 is forecast from n+4-6 = n-2 (two seasons back).
        double[] targets = {0, 1, 2, 10, 11, 12, 20, 21, 22};
        int[] series = new int[targets.length];
        double[] f = new SeasonalNaive(4, 3).run(series, targets);
        // Forecast for row 4 made at row 0: row -2 does not exist -> persistence (0). Row 5 (made at 1):
        // row -1 -> persistence 1. Row 6 (made at 2): row 0 -> 0. Row 7: row 1. Row 8: row 2.
        assertThat(f).containsExactly(NaN, NaN, NaN, NaN, 0, 1, 0, 1, 2);

        // Horizon 1, season 2, row 3's target unknown: the forecast for row 5 falls back to the last known (4).
        double[] gappy = {1, 2, 3, NaN, 4, 6, 7};
        double[] g = new SeasonalNaive(1, 2).run(new int[gappy.length], gappy);
        assertThat(g).containsExactly(NaN, 1, 1, 2, 3, 4, 4);
    }

    @Test
    void movingAverageOfAConstantIsExactAndOtherwiseAveragesTheLastKnownTargets() {
        double[] constant = new double[50];
        Arrays.fill(constant, 0.1);
        double[] f = new MovingAverage(1, 10).run(new int[50], constant);
        for (int i = 1; i < 50; i++) {
            assertThat(f[i]).as("row %d", i).isEqualTo(0.1);
        }

        // Window 3, horizon 1, one unknown target skipped: forecasts of the next target.
        double[] targets = {1, 2, NaN, 6, 9, 12};
        double[] m = new MovingAverage(1, 3).run(new int[targets.length], targets);
        assertThat(Arrays.copyOf(m, 5)).containsExactly(NaN, 1, 1.5, 1.5, 3);
        assertThat(m[5]).isCloseTo(17.0 / 3, within(1e-12));
    }

    @Test
    void keysAreIndependentAndMayArriveInAnyOrder() {
        int[] series = {2, 0, 2, 0, 2};
        double[] targets = {100, 1, 200, 3, 300};
        double[] m = new MovingAverage(1, 5).run(series, targets);
        assertThat(m).containsExactly(NaN, NaN, 100, 1, 150);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new SeasonalNaive(1, 0)).hasMessageContaining("season");
        assertThatThrownBy(() -> new MovingAverage(1, 0)).hasMessageContaining("window");
        assertThatThrownBy(() -> new Persistence(-1)).hasMessageContaining("horizon");
    }
}
