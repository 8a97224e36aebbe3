package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every forecast of the learner carries a prediction interval calibrated on the series' own errors. */
class SeriesIntervalTest {

    @Test
    void aForecastHasAnIntervalOnceItsSeriesHasAResolvedError() {
        OnlineForecaster f = new OnlineForecaster(LearnerConfig.builder().hidden(4).build());
        SeriesState s = f.newSeries();
        f.observe(s, new double[0], 1.0);
        assertThat(s.intervalHalfWidth()).as("no error known yet").isNaN();
        f.observe(s, new double[0], 2.0); // resolves the first forecast
        assertThat(s.intervalHalfWidth()).isPositive();
        for (int t = 0; t < 50; t++) {
            f.observe(s, new double[0], Math.sin(t));
            assertThat(s.intervalHalfWidth()).isPositive();
        }
    }

    @Test
    void theResolvedWidthIsTheOneIssuedWithThatForecastHorizonRecordsEarlier() {
        OnlineForecaster f = new OnlineForecaster(LearnerConfig.builder().hidden(4).horizon(3).build());
        SeriesState s = f.newSeries();
        double[] issued = new double[40];
        for (int t = 0; t < 40; t++) {
            f.observe(s, new double[0], Math.sin(0.3 * t));
            issued[t] = s.intervalHalfWidth();
            if (t >= 3) {
                assertThat(s.resolvedHalfWidth()).as("step %d", t).isEqualTo(Double.valueOf(issued[t - 3])); // NaN for NaN, too
            }
        }
        assertThat(issued[39]).isPositive();
    }

    @Test
    void atHorizonZeroTheIntervalIsIssuedBeforeTheRecordsTargetIsUsed() {
        OnlineForecaster f = new OnlineForecaster(LearnerConfig.builder().hidden(4).features(1).horizon(0).build());
        SeriesState s = f.newSeries();
        for (int t = 0; t < 30; t++) {
            double before = s.interval.quantile() * s.interval.scale();
            f.observe(s, new double[] {Math.cos(t)}, Math.sin(t));
            if (t > 1) {
                // the half-width came from q and m as they were before this record's error was known
                assertThat(s.resolvedHalfWidth()).isEqualTo(s.intervalHalfWidth()).isEqualTo(before);
            }
        }
    }

    @Test
    void intervalsNeverChangeTheForecastsOrTheModel() {
        OnlineForecaster narrow = new OnlineForecaster(LearnerConfig.builder().hidden(6).intervalLevel(0.5).build());
        OnlineForecaster wide = new OnlineForecaster(LearnerConfig.builder().hidden(6).intervalLevel(0.99).build());
        SeriesState a = narrow.newSeries();
        SeriesState b = wide.newSeries();
        for (int t = 0; t < 3_000; t++) {
            double y = Math.sin(0.1 * t) + (t > 1_500 ? 4 : 0);
            assertThat(wide.observe(b, new double[0], y)).isEqualTo(narrow.observe(a, new double[0], y));
        }
        assertThat(b.intervalHalfWidth()).isGreaterThan(a.intervalHalfWidth());
        assertThat(wide.model().parameters()).isEqualTo(narrow.model().parameters());
    }

    /**
     * The learner's own forecasts on series that drift (a level shift, a change of noise, a change of
     * frequency): the coverage of the 90 % intervals, whole run and last 10 %, is within 87–93 %.
     */
    @ParameterizedTest
    @ValueSource(strings = {"level-shift", "noise-change", "frequency-change"})
    void ninetyPercentIntervalsCoverNinetyPercentAcrossDrift(String drift) {
        OnlineForecaster f = new OnlineForecaster(LearnerConfig.builder().build());
        SeriesState s = f.newSeries();
        Random random = new Random(7);
        int n = 20_000;
        int issued = 0;
        int covered = 0;
        int issuedLast = 0;
        int coveredLast = 0;
        for (int t = 0; t < n; t++) {
            double y = switch (drift) {
                case "level-shift" -> Math.sin(0.05 * t) + (t >= n / 2 ? 25 : 0) + 0.1 * random.nextGaussian();
                case "noise-change" -> Math.sin(0.05 * t) + (t >= n / 2 ? 0.5 : 0.05) * random.nextGaussian();
                default -> Math.sin((t >= n / 2 ? 0.2 : 0.05) * t) + 0.1 * random.nextGaussian();
            };
            f.observe(s, new double[0], y);
            double w = s.resolvedHalfWidth();
            if (!Double.isNaN(w)) {
                boolean hit = Math.abs(y - s.resolvedForecast()) <= w;
                issued++;
                covered += hit ? 1 : 0;
                if (t >= n - n / 10) {
                    issuedLast++;
                    coveredLast += hit ? 1 : 0;
                }
            }
        }
        assertThat(issued).isEqualTo(n - 2);
        assertThat(covered / (double) issued).as(drift + ", whole run").isCloseTo(0.9, within(0.03));
        assertThat(coveredLast / (double) issuedLast).as(drift + ", last 10 %").isCloseTo(0.9, within(0.03));
    }
}
