package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * One shared model serves series in any units: each series' target is scaled by its own
 * statistics, with no absolute floor (defaults throughout, one online pass, horizon 1).
 */
class PerSeriesScalingTest {

    private static final LearnerConfig DEFAULTS = LearnerConfig.builder().build();

    /** Sums of a series' absolute errors and persistence's over the steps [from, to). */
    private static final class Score {
        final long from;
        final long to;
        double error;
        double persistence;

        Score(long from, long to) {
            this.from = from;
            this.to = to;
        }

        void add(long step, SeriesState s, double target) {
            if (step >= from && step < to && Double.isFinite(s.resolvedForecast())) {
                error += Math.abs(s.resolvedForecast() - target);
                persistence += Math.abs(s.resolvedBaseline() - target);
            }
        }

        double ratio() {
            return error / persistence;
        }
    }

    private static double lastTenthRatio(LongToDoubleFunction series, int steps) {
        OnlineForecaster f = new OnlineForecaster(DEFAULTS);
        SeriesState s = f.newSeries();
        Score score = new Score(steps - steps / 10, steps);
        for (long t = 0; t < steps; t++) {
            double y = series.applyAsDouble(t);
            f.observe(s, new double[0], y);
            score.add(t, s, y);
        }
        return score.ratio();
    }

    @Test
    void aSeriesIsForecastAsWellInAnyUnits() {
        double unscaled = lastTenthRatio(t -> Math.sin(0.01 * t), 10_000);
        assertThat(unscaled).isLessThan(1);
        double[][] unitsAndOffsets = {{1e-9, 3e-9}, {1e-7, 3e-7}, {1e-3, 5e-3}, {1e9, 5e9}, {1e12, 3e12}};
        for (double[] u : unitsAndOffsets) {
            double ratio = lastTenthRatio(t -> u[0] * Math.sin(0.01 * t) + u[1], 10_000);
            assertThat(ratio).as("units %s, offset %s", u[0], u[1]).isLessThan(1).isLessThan(1.5 * unscaled)
                    .isGreaterThan(unscaled / 1.5);
        }
    }

    @Test
    void twoSeriesTwelveOrdersOfMagnitudeApartEachBeatPersistence() {
        OnlineForecaster f = new OnlineForecaster(DEFAULTS);
        SeriesState a = f.newSeries();
        SeriesState b = f.newSeries();
        int steps = 10_000;
        Score sa = new Score(steps - steps / 10, steps);
        Score sb = new Score(steps - steps / 10, steps);
        for (long t = 0; t < steps; t++) {
            double ya = Math.sin(0.01 * t);
            double yb = 1e12 * Math.sin(0.1 * t) + 3e12;
            f.observe(a, new double[0], ya);
            sa.add(t, a, ya);
            f.observe(b, new double[0], yb);
            sb.add(t, b, yb);
        }
        assertThat(sa.ratio()).isLessThan(1);
        assertThat(sb.ratio()).isLessThan(1);
    }

    @Test
    void aSeriesJoiningLateIsForecastSensiblyFromItsFirstRecords() {
        OnlineForecaster f = new OnlineForecaster(DEFAULTS);
        SeriesState a = f.newSeries();
        SeriesState c = f.newSeries();
        int steps = 10_000;
        int joins = 5_000;
        Score coldStart = new Score(50, 500);
        Score lastTenth = new Score((steps - joins) * 9 / 10, steps - joins);
        for (long t = 0; t < steps; t++) {
            f.observe(a, new double[0], Math.sin(0.01 * t));
            if (t >= joins) {
                long own = t - joins;
                double y = 1e-6 * Math.sin(0.05 * t) + 2e-6;
                double forecast = f.observe(c, new double[0], y);
                if (own == 0) {
                    assertThat(forecast).as("the first forecast comes with the first record").isFinite();
                }
                coldStart.add(own, c, y);
                lastTenth.add(own, c, y);
            }
        }
        assertThat(coldStart.ratio()).as("records 50-500 of the new series").isLessThanOrEqualTo(1.5);
        assertThat(lastTenth.ratio()).isLessThan(1);
    }

    @Test
    void aLevelShiftByAFactorOfAThousandIsLearned() {
        int shift = 5_000;
        LongToDoubleFunction y = t -> t < shift ? Math.sin(0.01 * t) : 1000 * Math.sin(0.01 * t) + 1000;
        OnlineForecaster f = new OnlineForecaster(DEFAULTS);
        SeriesState s = f.newSeries();
        Score afterShift = new Score(shift + 300, shift + 1_000);
        for (long t = 0; t < shift + 1_000; t++) {
            double v = y.applyAsDouble(t);
            f.observe(s, new double[0], v);
            afterShift.add(t, s, v);
        }
        assertThat(afterShift.ratio()).as("records 300 to 1,000 after the shift").isLessThan(1);
    }

    @Test
    void aValueBeyondTheLearnableRangeIsTreatedAsMissingAndNothingBecomesNonFinite() {
        OnlineForecaster f = new OnlineForecaster(DEFAULTS);
        SeriesState s = f.newSeries();
        int steps = 10_000;
        Score score = new Score(steps - steps / 10, steps);
        for (long t = 0; t < steps; t++) {
            double v = t == 5_000 ? 1e300 : Math.sin(0.01 * t);
            double forecast = f.observe(s, new double[0], v);
            assertThat(forecast).isFinite();
            score.add(t, s, v);
        }
        for (double p : f.model().parameters()) {
            assertThat(p).isFinite();
        }
        assertThat(s.targetStats().std(0)).isFinite();
        assertThat(score.ratio()).isLessThan(1);
    }

    /** Last-tenth MAE ratio of four sine keys, sharing the model with a key of heavy-tailed noise or not. */
    private static double sinesSharingWith(boolean noisyKey) {
        return sinesSharingWith(noisyKey, DEFAULTS);
    }

    private static double sinesSharingWith(boolean noisyKey, LearnerConfig config) {
        OnlineForecaster f = new OnlineForecaster(config);
        SeriesState[] sines = new SeriesState[4];
        Score[] scores = new Score[sines.length];
        int steps = 6_000;
        for (int k = 0; k < sines.length; k++) {
            sines[k] = f.newSeries();
            scores[k] = new Score(steps - steps / 10, steps);
        }
        SeriesState noise = f.newSeries();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (long t = 0; t < steps; t++) {
            for (int k = 0; k < sines.length; k++) {
                double y = Math.sin(0.02 * t + k);
                f.observe(sines[k], new double[0], y);
                scores[k].add(t, sines[k], y);
            }
            if (noisyKey) {
                for (int i = 0; i < 4; i++) { // as many records as all the sines together
                    f.observe(noise, new double[0], Math.tan(Math.PI * (rng.nextDouble() - 0.5))); // Cauchy
                }
            }
        }
        double error = 0;
        double persistence = 0;
        for (Score s : scores) {
            error += s.error;
            persistence += s.persistence;
        }
        return error / persistence;
    }

    @Test
    void aKeyOfHeavyTailedNoiseCannotSteerTheSharedModel() {
        double alone = sinesSharingWith(false);
        double shared = sinesSharingWith(true);
        // Measured: alone 0.0041; with the noise key 0.0071 (capped chunks), 0.0123 without the cap.
        assertThat(shared).isLessThan(1).isLessThan(2 * alone);
    }

    @Test
    void theCapOnAChunksInfluenceIsWhatKeepsTheNoisyKeyOutAndCanBeTurnedOff() {
        // The GRU alone: with the linear path, which gets the sines' linear dynamics right whatever
        // the noisy key does to the GRU, the cap matters less (measured: uncapped 1.25x capped).
        LearnerConfig gruAlone = DEFAULTS.toBuilder().linearLags(0).build();
        double capped = sinesSharingWith(true, gruAlone.toBuilder().chunkInfluence(4).build());
        double uncapped = sinesSharingWith(true, gruAlone.toBuilder().chunkInfluence(0).build());
        assertThat(uncapped).isGreaterThan(1.3 * capped);
    }

    /** Last-tenth MAE of two keys whose feature is in units nine orders of magnitude apart. */
    private static double[] featureUnitsApart(FeatureScaling scaling) {
        LearnerConfig config = LearnerConfig.builder().features(1).horizon(0).featureScaling(scaling).build();
        OnlineForecaster f = new OnlineForecaster(config);
        SeriesState[] keys = {f.newSeries(), f.newSeries()};
        double[] unit = {1, 1e9};
        int steps = 4_000;
        double[] error = new double[2];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        double[] x = new double[1];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < 2; k++) {
                double load = Math.sin(0.05 * t + k) + 0.3 * rng.nextGaussian();
                double y = 20 + 2 * load;
                x[0] = unit[k] * load;
                f.observe(keys[k], x, y);
                if (t >= steps - steps / 10) {
                    error[k] += Math.abs(keys[k].resolvedForecast() - y);
                }
            }
        }
        return error;
    }

    @Test
    void perKeyFeatureScalingServesKeysWhoseFeaturesAreInDifferentUnits() {
        double[] shared = featureUnitsApart(FeatureScaling.SHARED);
        double[] perKey = featureUnitsApart(FeatureScaling.PER_KEY);
        // Shared statistics are dominated by the key in units of 1e9: the other key's feature is squashed to a constant.
        assertThat(perKey[0]).isLessThan(shared[0] / 3);
        assertThat(perKey[1]).isLessThan(perKey[0] * 1.5).isGreaterThan(perKey[0] / 1.5);
    }
}
