package io.streamgru.model.interval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link ConformalInterval} promises, stated as its header states it. */
class ConformalIntervalTest {

    private static final double ETA = ConformalInterval.STEP;

    @Test
    void aSeriesHasNoIntervalUntilItsFirstErrorIsKnown() {
        ConformalInterval interval = new ConformalInterval(0.9, 1);
        assertThat(interval.issue(0)).isNaN();
        assertThat(interval.resolve(0, 2.0)).as("a forecast without an interval covers nothing").isFalse();
        assertThat(interval.quantile()).as("and does not move q").isEqualTo(Math.log(10));
        assertThat(interval.scale()).as("but its error is the first unit of scale").isEqualTo(2.0);
        assertThat(interval.issue(0)).isEqualTo(Math.log(10) * 2.0);
    }

    @Test
    void aMissWidensTheThresholdByEtaTimesOneMinusAlphaAndACoverNarrowsItByEtaTimesAlpha() {
        ConformalInterval interval = new ConformalInterval(0.9, 1);
        interval.issue(0);
        interval.resolve(0, 1.0); // m = 1
        double q = interval.quantile();
        interval.issue(0);
        assertThat(interval.resolve(0, 100.0)).isFalse();
        assertThat(interval.quantile()).isCloseTo(q + ETA * 0.9, within(1e-15));
        q = interval.quantile();
        interval.issue(0);
        assertThat(interval.resolve(0, 0.0)).isTrue();
        assertThat(interval.quantile()).isCloseTo(q - ETA * 0.1, within(1e-15));
    }

    @Test
    void anErrorExactlyOnTheBoundIsCovered() {
        ConformalInterval interval = new ConformalInterval(0.9, 1);
        interval.issue(0);
        interval.resolve(0, 1.0);
        double width = interval.issue(0);
        assertThat(interval.resolve(0, width)).isTrue();
    }

    @Test
    void theScaleIsTheMeanOfTheFirstErrorsThenAnExponentialAverage() {
        ConformalInterval interval = new ConformalInterval(0.9, 1);
        for (int i = 1; i <= ConformalInterval.SCALE_MEMORY; i++) {
            interval.resolve(0, i);
        }
        assertThat(interval.scale()).isCloseTo((ConformalInterval.SCALE_MEMORY + 1) / 2.0, within(1e-9));
        double before = interval.scale();
        interval.resolve(0, before + ConformalInterval.SCALE_MEMORY);
        assertThat(interval.scale()).isCloseTo(before + 1, within(1e-9));
    }

    @Test
    void unknownErrorsChangeNothing() {
        ConformalInterval interval = new ConformalInterval(0.9, 1);
        interval.resolve(0, 1.0);
        interval.issue(0);
        double[] before = new double[interval.stateLength()];
        interval.exportState(before);
        interval.issue(0);
        assertThat(interval.resolve(0, Double.NaN)).isFalse();
        double[] after = new double[interval.stateLength()];
        interval.exportState(after);
        assertThat(after[0]).isEqualTo(before[0]);
        assertThat(after[1]).isEqualTo(before[1]);
        assertThat(after[2]).isEqualTo(before[2]);
    }

    @Test
    void theSameErrorsInOtherUnitsGiveTheSameMissesAndProportionalWidths() {
        Random random = new Random(3);
        ConformalInterval units = new ConformalInterval(0.9, 1);
        ConformalInterval micro = new ConformalInterval(0.9, 1);
        for (int t = 0; t < 5_000; t++) {
            double e = Math.abs(random.nextGaussian());
            double w = units.issue(0);
            double wMicro = micro.issue(0);
            if (t > 0) {
                assertThat(wMicro).isCloseTo(w * 1e-6, within(Math.abs(w) * 1e-6 * 1e-12));
            }
            assertThat(micro.resolve(0, e * 1e-6)).as("step %d", t).isEqualTo(units.resolve(0, e));
        }
    }

    @Test
    void eachSlotRemembersTheWidthIssuedWithItsForecast() {
        ConformalInterval interval = new ConformalInterval(0.8, 3);
        interval.resolve(0, 1.0);
        double first = interval.issue(1);
        interval.resolve(2, 50.0); // widens the threshold for later forecasts...
        interval.issue(2);
        assertThat(interval.issued(1)).as("...but not the one already issued").isEqualTo(first);
        assertThat(interval.resolve(1, first)).isTrue();
        assertThat(interval.issued(1)).isNaN();
    }

    /**
     * The identity behind the guarantee: over any stretch of N resolutions, misses / N = α +
     * (q_end − q_start) / (η N) exactly while q stays above 0.
     */
    @Test
    void theMissRateOfAnyStretchIsAlphaPlusTheChangeOfQOverEtaN() {
        Random random = new Random(11);
        ConformalInterval interval = new ConformalInterval(0.9, 1);
        interval.resolve(0, 1.0);
        int n = 2_000;
        double qStart = interval.quantile();
        int misses = 0;
        for (int t = 0; t < n; t++) {
            interval.issue(0);
            double e = Math.abs(random.nextGaussian()) * (t < 1_000 ? 1 : 5); // the error scale jumps
            if (!interval.resolve(0, e)) {
                misses++;
            }
            assertThat(interval.quantile()).isPositive();
        }
        double expected = 0.1 + (interval.quantile() - qStart) / (ETA * n);
        assertThat(misses / (double) n).isCloseTo(expected, within(1e-9));
    }

    /**
     * The long-run coverage property on synthetic error streams with drift: the error scale random-walks
     * and jumps tenfold, the distribution changes shape (Gaussian, Laplace, Student t3, uniform), the
     * forecasts become biased for a while after a level shift, errors are autocorrelated. Over the whole
     * stream and over its last 10 % the coverage of the issued intervals stays within the bound the
     * header states, and within ±1.5 points of the level (the binomial 99 % band of 2,000 independent
     * trials at 90 % is ±1.7).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void longRunCoverageHoldsOnDriftingStreams(long seed) {
        for (double level : new double[] {0.8, 0.9, 0.95}) {
            Random random = new Random(seed * 31 + (long) (level * 100));
            DriftingErrors errors = new DriftingErrors(random);
            int horizon = 1 + random.nextInt(3);
            ConformalInterval interval = new ConformalInterval(level, horizon);
            int n = 20_000;
            int lastStart = n - n / 10;
            int issuedAll = 0;
            int coveredAll = 0;
            int issuedLast = 0;
            int coveredLast = 0;
            double maxScore = 0;
            double qAtLastStart = Double.NaN;
            // forecast t is issued at t and resolved at t + horizon
            double[] pending = new double[horizon];
            for (int t = 0; t < n + horizon; t++) {
                int slot = t % horizon;
                if (t >= horizon) {
                    double e = Math.abs(pending[slot]);
                    double w = interval.issued(slot);
                    double m = interval.scale();
                    boolean covered = interval.resolve(slot, e);
                    int issuedAt = t - horizon;
                    if (!Double.isNaN(w)) {
                        maxScore = Math.max(maxScore, e / Math.max(m, 1e-300));
                        issuedAll++;
                        coveredAll += covered ? 1 : 0;
                        if (issuedAt >= lastStart) {
                            issuedLast++;
                            coveredLast += covered ? 1 : 0;
                        }
                    }
                    if (issuedAt + 1 == lastStart) {
                        qAtLastStart = interval.quantile();
                    }
                }
                if (t < n) {
                    interval.issue(slot);
                    pending[slot] = errors.next(t);
                }
            }
            double alpha = 1 - level;
            double coverage = coveredAll / (double) issuedAll;
            double bound = (maxScore + (horizon + 1) * ETA) / (ETA * issuedAll);
            String what = "seed " + seed + ", level " + level + ", horizon " + horizon;
            assertThat(1 - coverage).as(what + ": the header's bound").isLessThanOrEqualTo(alpha + bound);
            assertThat(coverage).as(what + ": whole stream").isCloseTo(level, within(0.005));
            double last = coveredLast / (double) issuedLast;
            assertThat(last).as(what + ": last 10 % (q from %.3f to %.3f)", qAtLastStart, interval.quantile())
                    .isCloseTo(level, within(0.015));
        }
    }

    @Test
    void aStateRestoredFromItsExportContinuesExactly() {
        Random random = new Random(5);
        ConformalInterval original = new ConformalInterval(0.9, 2);
        for (int t = 0; t < 500; t++) {
            original.resolve(t % 2, Math.abs(random.nextGaussian()));
            original.issue(t % 2);
        }
        double[] state = new double[original.stateLength()];
        ConformalInterval copy = new ConformalInterval(0.9, 2);
        copy.importState(state, original.exportState(state));
        for (int t = 500; t < 600; t++) {
            double e = Math.abs(random.nextGaussian());
            assertThat(copy.resolve(t % 2, e)).isEqualTo(original.resolve(t % 2, e));
            assertThat(copy.issue(t % 2)).isEqualTo(original.issue(t % 2));
        }
    }

    @Test
    void aStateOfAnotherHorizonOrWithImpossibleNumbersIsRefused() {
        double[] state = new double[5];
        new ConformalInterval(0.9, 2).exportState(state);
        assertThatThrownBy(() -> new ConformalInterval(0.9, 3).importState(state, 5))
                .hasMessageContaining("expected 6");
        state[1] = -1;
        assertThatThrownBy(() -> new ConformalInterval(0.9, 2).importState(state, 5))
                .hasMessageContaining("out of range");
    }

    @Test
    void theLevelMustBeAProbability() {
        for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> new ConformalInterval(bad, 1)).hasMessageContaining("(0, 1)");
        }
    }

    /** Forecast errors of a forecaster facing drift: every few thousand steps the regime changes. */
    private static final class DriftingErrors {
        private final Random random;
        private double scale = 1;
        private double bias;
        private double previous;
        private int shape;
        private double correlation;

        DriftingErrors(Random random) {
            this.random = random;
        }

        double next(int t) {
            if (t % 2_500 == 700 || t == 0) { // one change falls into the last 10 %
                shape = random.nextInt(4);
                correlation = random.nextDouble() * 0.8;
                if (random.nextBoolean()) {
                    scale *= random.nextBoolean() ? 10 : 0.1; // the error scale jumps
                }
                bias = random.nextBoolean() ? 3 * scale : 0; // a level shift the forecaster lags behind
            }
            scale *= Math.exp(0.01 * random.nextGaussian()); // and wanders
            bias *= 0.99;
            double noise = switch (shape) {
                case 0 -> random.nextGaussian();
                case 1 -> Math.log(random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
                case 2 -> random.nextGaussian() / Math.sqrt((square(random.nextGaussian())
                        + square(random.nextGaussian()) + square(random.nextGaussian())) / 3);
                default -> 2 * random.nextDouble() - 1;
            };
            previous = correlation * previous + Math.sqrt(1 - correlation * correlation) * noise * scale;
            return bias + previous;
        }

        private static double square(double v) {
            return v * v;
        }
    }
}
