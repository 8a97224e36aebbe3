package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.model.experts.Expert;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@link LearnerConfig#season()} set (and the combination on), seasonal naive is one more expert:
 * its forecasts are exactly those of the {@link SeasonalNaive} baseline, the model is the same as
 * without it, and on a seasonal series the combination follows it where it is the best forecaster.
 */
class SeriesSeasonalExpertTest {

    /** Hourly readings with a daily cycle: a square-ish wave of period 24 (4 high hours), plus noise. */
    private static double squareWave(int t, Random noise) {
        int hour = t % 24;
        return 10 + (hour >= 8 && hour < 12 ? 3 : 0) + 0.1 * noise.nextGaussian();
    }

    @Test
    void onADailyCycleTheCombinationFollowsSeasonalNaiveAndBeatsTheModelAloneAndPersistence() {
        LearnerConfig config = LearnerConfig.builder().horizon(1).season(24).build();
        assertThat(SeriesLearner.experts(config))
                .containsExactly(Expert.MODEL, Expert.PERSISTENCE, Expert.LINEAR, Expert.SEASONAL_NAIVE);
        OnlineForecaster forecaster = new OnlineForecaster(config);
        SeriesState s = forecaster.newSeries();
        Random noise = new Random(24);
        double combined = 0;
        double model = 0;
        double persistence = 0;
        int scored = 0;
        int seasonalLeads = 0;
        for (int t = 0; t < 6000; t++) {
            double y = squareWave(t, noise);
            forecaster.observe(s, new double[0], y);
            if (t >= 3000) { // after the warm-up
                combined += Math.abs(y - s.resolvedForecast());
                model += Math.abs(y - s.resolvedModelForecast());
                persistence += Math.abs(y - s.resolvedBaseline());
                scored++;
                seasonalLeads += s.dominantExpert() == Expert.SEASONAL_NAIVE ? 1 : 0;
            }
        }
        System.out.printf("square wave, period 24: MAE combined %.4f, model alone %.4f, persistence %.4f; "
                + "seasonal naive leads %d of %d%n", combined / scored, model / scored, persistence / scored,
                seasonalLeads, scored);
        assertThat(combined).as("combined vs the model alone").isLessThan(0.8 * model);
        assertThat(combined).as("combined vs persistence").isLessThan(0.8 * persistence);
        assertThat(seasonalLeads).as("seasonal naive dominates after the warm-up").isGreaterThan(scored * 9 / 10);
    }

    /**
     * The expert's forecasts, made with the model's timing, are the baseline's: for the target of the
     * same record, whole seasons back (two seasons at horizon 30), persistence over unknown targets and
     * in the key's first season.
     */
    @ParameterizedTest(name = "horizon {0}")
    @ValueSource(ints = {0, 1, 5, 30})
    void theExpertForecastsWhatTheSeasonalNaiveBaselineForecasts(int horizon) {
        LearnerConfig config = LearnerConfig.builder().horizon(horizon).hidden(4).chunk(4).window(4).season(24).build();
        OnlineForecaster forecaster = new OnlineForecaster(config);
        SeriesState s = forecaster.newSeries();
        SeasonalNaive baseline = new SeasonalNaive(horizon, 24);
        Map<Integer, Double> expertFor = new HashMap<>(); // target record -> the expert's forecast of it
        Random noise = new Random(horizon);
        int compared = 0;
        for (int t = 0; t < 400; t++) {
            double y = t % 11 == 3 || (t > 100 && t < 140) ? Double.NaN : squareWave(t, noise);
            forecaster.observe(s, new double[0], y);
            expertFor.put(t + horizon, s.seasonalForecasts[t % Math.max(1, horizon)]);
            double expected = baseline.observe(0, y);
            Double made = expertFor.remove(t);
            if (made != null) {
                assertThat(Double.valueOf(made)).as("record %d", t).isEqualTo(Double.valueOf(expected));
                compared += Double.isNaN(expected) ? 0 : 1;
            }
        }
        assertThat(compared).isGreaterThan(300);
        assertThat(baseline.fallbacks()).as("the fallback was exercised").isGreaterThan(24);
    }

    /**
     * A safety net: the model's forecasts, parameters and drift detector are bit for bit the same
     * with the seasonal expert or without a season; and without one (the default, 0) nothing changes
     * (the key state of the release before it is written byte for byte: SeriesStateCodecTest).
     */
    @Test
    void theModelIsTheSameWithOrWithoutTheSeasonalExpert() {
        LearnerConfig plain = LearnerConfig.builder().horizon(2).hidden(8).chunk(4).window(8).linearLags(3).build();
        assertThat(plain.season()).as("the default").isZero();
        assertThat(SeriesLearner.experts(plain)).containsExactly(Expert.MODEL, Expert.PERSISTENCE, Expert.LINEAR);
        LearnerConfig seasonal = plain.toBuilder().season(24).build();
        assertThat(SeriesLearner.experts(seasonal))
                .containsExactly(Expert.MODEL, Expert.PERSISTENCE, Expert.LINEAR, Expert.SEASONAL_NAIVE);
        assertThat(SeriesLearner.experts(seasonal.toBuilder().combine(false).build())).isEmpty();
        OnlineForecaster with = new OnlineForecaster(seasonal);
        OnlineForecaster without = new OnlineForecaster(plain);
        SeriesState a = with.newSeries();
        SeriesState b = without.newSeries();
        Random noise = new Random(3);
        int differ = 0;
        for (int t = 0; t < 2000; t++) {
            double y = t % 97 == 0 ? Double.NaN : squareWave(t, noise);
            double published = with.observe(a, new double[0], y);
            double other = without.observe(b, new double[0], y);
            assertThat(Double.doubleToRawLongBits(a.modelForecast())).as("step %d", t)
                    .isEqualTo(Double.doubleToRawLongBits(b.modelForecast()));
            differ += published != other ? 1 : 0;
        }
        assertThat(with.model().parameters()).isEqualTo(without.model().parameters());
        assertThat(a.driftDetections()).isEqualTo(b.driftDetections());
        assertThat(differ).as("the seasonal expert did change the published forecasts").isGreaterThan(1000);
    }

    @Test
    void theSeasonIsAWholeNumberOfRecordsFromZeroToAWeekOfMinutes() {
        assertThat(LearnerConfig.builder().season(LearnerConfig.MAX_SEASON).build().season()).isEqualTo(7 * 24 * 60);
        assertThatThrownBy(() -> LearnerConfig.builder().season(-1).build())
                .hasMessage("season must be >= 0, got -1");
        assertThatThrownBy(() -> LearnerConfig.builder().season(LearnerConfig.MAX_SEASON + 1).build())
                .hasMessage("season must be <= 10080, got 10081");
        assertThatThrownBy(() -> LearnerConfig.setting("season").orElseThrow().parse("24.5"))
                .hasMessage("must be an integer");
    }
}
