package io.streamgru.model.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What {@link FixedShareAggregation} promises, as its header states it. */
class FixedShareAggregationTest {

    private static final double ETA = FixedShareAggregation.STANDARD_RATE;
    private static final double ALPHA = FixedShareAggregation.STANDARD_SHARE;
    private static final double B = FixedShareAggregation.LOSS_BOUND;

    /** Forecasts whose bounded losses against truth 0 and scale 1 are exactly {@code losses} (each in [0, 1]). */
    private static double[] forecastsWithLosses(double... losses) {
        double[] f = new double[losses.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = losses[i] * B;
        }
        return f;
    }

    @Test
    void weightsStartUniformAndTheCombinationIsTheirAverageOfTheForecasts() {
        FixedShareAggregation rule = FixedShareAggregation.standard(3, 1);
        double[] w = new double[rule.weightCount()];
        rule.reset(w);
        assertThat(w).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
        assertThat(rule.combine(w, 0, new double[] {3, 6, 9})).isCloseTo(6, within(1e-12));
    }

    @Test
    void anExpertWithoutAForecastIsLeftOutOfTheCombinationAndOfTheUpdate() {
        FixedShareAggregation rule = FixedShareAggregation.standard(2, 1);
        double[] w = {0.25, 0.75};
        assertThat(rule.combine(w, 0, new double[] {Double.NaN, 8})).isEqualTo(8);
        assertThat(rule.combine(w, 0, new double[] {Double.NaN, Double.NaN})).isNaN();
        assertThat(rule.update(w, 0, new double[] {Double.NaN, 8}, 1, 1)).isFalse();
        assertThat(rule.update(w, 0, new double[] {2, 8}, Double.NaN, 1)).as("unknown truth").isFalse();
        assertThat(rule.update(w, 0, new double[] {2, 8}, 1, 0)).as("no scale yet").isFalse();
        assertThat(w).containsExactly(0.25, 0.75);
    }

    @Test
    void theLossIsTheAbsoluteErrorInUnitsOfBScalesClippedAtOne() {
        assertThat(FixedShareAggregation.loss(-2, 1)).isEqualTo(2 / B);
        assertThat(FixedShareAggregation.loss(2 * B, 1)).isEqualTo(1.0);
        assertThat(FixedShareAggregation.loss(3, 10)).isEqualTo(3 / (10 * B));
    }

    @Test
    void oneUpdateIsExactlyHedgeThenTheFixedShare() {
        FixedShareAggregation rule = FixedShareAggregation.standard(3, 1);
        double[] w = {0.5, 0.3, 0.2};
        double truth = 10;
        double scale = 2;
        double[] f = {11, 7, 30}; // losses 1/8, 3/8 and 1 (clipped)
        rule.update(w, 0, f, truth, scale);
        double[] l = {1.0 / 8, 3.0 / 8, 1.0};
        double[] v = new double[3];
        double z = 0;
        for (int i = 0; i < 3; i++) {
            v[i] = new double[] {0.5, 0.3, 0.2}[i] * Math.exp(-ETA * l[i]);
            z += v[i];
        }
        for (int i = 0; i < 3; i++) {
            assertThat(w[i]).isCloseTo(ALPHA / 3 + (1 - ALPHA) * v[i] / z, within(1e-15));
        }
    }

    @Test
    void withoutTheShareTheWeightsAreExponentialInEachExpertsCumulativeLoss() {
        FixedShareAggregation rule = new FixedShareAggregation(3, 1, 0.7, 0);
        double[] w = new double[3];
        rule.reset(w);
        double[] cumulative = new double[3];
        Random random = new Random(1);
        for (int t = 0; t < 2000; t++) {
            double[] l = {random.nextDouble(), random.nextDouble() * 0.9, random.nextDouble() * 1.1};
            for (int i = 0; i < 3; i++) {
                l[i] = Math.min(1, l[i]);
                cumulative[i] += l[i];
            }
            rule.update(w, 0, forecastsWithLosses(l), 0, 1);
        }
        double min = Arrays.stream(cumulative).min().orElseThrow();
        double z = 0;
        for (double c : cumulative) {
            z += Math.exp(-0.7 * (c - min));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(w[i]).isCloseTo(Math.exp(-0.7 * (cumulative[i] - min)) / z, within(1e-9));
        }
    }

    @Test
    void weightsSumToOneAndNeverFallBelowTheShareFloorWhateverTheData() {
        FixedShareAggregation rule = FixedShareAggregation.standard(3, 4);
        double[] w = new double[rule.weightCount()];
        rule.reset(w);
        Random random = new Random(7);
        for (int t = 0; t < 20_000; t++) {
            int slot = t % 4;
            double[] f = {random.nextGaussian() * 100, random.nextGaussian(), t % 50 == 0 ? 1e9 : random.nextGaussian()};
            rule.update(w, slot, f, random.nextGaussian(), 0.01 + random.nextDouble());
            for (int s = 0; s < 4; s++) {
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    assertThat(w[s * 3 + i]).isGreaterThanOrEqualTo(ALPHA / 3 - 1e-16);
                    sum += w[s * 3 + i];
                }
                assertThat(sum).isCloseTo(1.0, within(1e-12));
            }
            assertThat(rule.plausible(w)).isTrue();
        }
    }

    @Test
    void slotsAreIndependentCopies() {
        FixedShareAggregation rule = FixedShareAggregation.standard(2, 3);
        double[] w = new double[rule.weightCount()];
        rule.reset(w);
        rule.update(w, 1, forecastsWithLosses(0, 1), 0, 1);
        assertThat(w[0]).isEqualTo(0.5);
        assertThat(w[4]).isEqualTo(0.5);
        assertThat(w[2]).isGreaterThan(0.5);
        assertThat(rule.dominant(w, 1)).isZero();
    }

    /** The bound of the header for a comparator sequence with m switches over T steps. */
    private static double bound(int n, int m, int steps, double eta, double alpha) {
        return ((m + 1) * Math.log(n) + m * Math.log(1 / alpha) + (steps - m - 1) * Math.log(1 / (1 - alpha))) / eta
                + eta * steps / 8;
    }

    /** The least loss of any sequence of experts with at most m switches, for every m up to {@code maxSwitches}. */
    private static double[] bestSequences(double[][] losses, int maxSwitches) {
        int n = losses[0].length;
        double[][] best = new double[maxSwitches + 1][n]; // best[m][i]: least loss so far ending at i with m switches
        for (double[] row : best) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        System.arraycopy(losses[0], 0, best[0], 0, n);
        for (int t = 1; t < losses.length; t++) {
            double[][] next = new double[maxSwitches + 1][n];
            for (int m = 0; m <= maxSwitches; m++) {
                for (int i = 0; i < n; i++) {
                    double stay = best[m][i];
                    double switched = Double.POSITIVE_INFINITY;
                    if (m > 0) {
                        for (int j = 0; j < n; j++) {
                            if (j != i) {
                                switched = Math.min(switched, best[m - 1][j]);
                            }
                        }
                    }
                    next[m][i] = Math.min(stay, switched) + losses[t][i];
                }
            }
            best = next;
        }
        double[] result = new double[maxSwitches + 1];
        double soFar = Double.POSITIVE_INFINITY;
        for (int m = 0; m <= maxSwitches; m++) {
            soFar = Math.min(soFar, Arrays.stream(best[m]).min().orElseThrow());
            result[m] = soFar;
        }
        return result;
    }

    @Test
    void theRegretBoundHoldsOnSwitchingAndAdversarialStreams() {
        int steps = 3000;
        int n = 3;
        for (int seed = 0; seed < 5; seed++) {
            Random random = new Random(seed);
            for (String kind : new String[] {"switching", "adversary"}) {
                FixedShareAggregation rule = FixedShareAggregation.standard(n, 1);
                double[] w = new double[n];
                rule.reset(w);
                double[][] losses = new double[steps][n];
                double mixture = 0;
                for (int t = 0; t < steps; t++) {
                    double[] l = losses[t];
                    if (kind.equals("switching")) {
                        int good = (t / 250) % n; // the best expert changes every 250 steps
                        for (int i = 0; i < n; i++) {
                            l[i] = Math.min(1, Math.abs((i == good ? 0.1 : 0.6) + 0.2 * random.nextGaussian()));
                        }
                    } else {
                        // The adversary hits whichever expert leads now: loss 1 for it, a random small one for others.
                        int lead = rule.dominant(w, 0);
                        for (int i = 0; i < n; i++) {
                            l[i] = i == lead ? 1.0 : 0.3 * random.nextDouble();
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        mixture += w[i] * l[i];
                    }
                    rule.update(w, 0, forecastsWithLosses(l), 0, 1);
                }
                double[] best = bestSequences(losses, 20);
                for (int m = 0; m <= 20; m++) {
                    assertThat(mixture).as("%s seed %d, m = %d", kind, seed, m)
                            .isLessThanOrEqualTo(best[m] + bound(n, m, steps, ETA, ALPHA));
                }
                if (kind.equals("switching")) {
                    // The comparator that follows the 11 switches of the stream: far better than any fixed expert,
                    // and the aggregation pays only a little per switch for it.
                    assertThat(best[11]).isLessThan(best[0] * 0.5);
                    assertThat(mixture).isLessThan(best[11] * 1.3);
                }
            }
        }
    }

    @Test
    void theLeadSwitchesBackSoonAfterEachRegimeChange() {
        FixedShareAggregation rule = FixedShareAggregation.standard(2, 1);
        double[] w = new double[2];
        rule.reset(w);
        // Expert 0 better by 0.5 per step for 1,000 steps, then expert 1, then expert 0 again.
        int[] leadFrom = new int[3];
        for (int phase = 0; phase < 3; phase++) {
            int good = phase % 2;
            int since = -1;
            for (int t = 0; t < 1000; t++) {
                double[] l = good == 0 ? new double[] {0.1, 0.6} : new double[] {0.6, 0.1};
                rule.update(w, 0, forecastsWithLosses(l), 0, 1);
                if (since < 0 && rule.dominant(w, 0) == good) {
                    since = t + 1;
                }
            }
            leadFrom[phase] = since;
            // The loser settles at the fixed point of w ↦ α/2 + (1 − α) w r / (w r + 1 − w), r = e^(−η Δℓ):
            // its floor plus what the share gives back, about α/N / (1 − r).
            double r = Math.exp(-ETA * 0.5);
            double settled = 0.5;
            for (int i = 0; i < 10_000; i++) {
                settled = ALPHA / 2 + (1 - ALPHA) * settled * r / (settled * r + 1 - settled);
            }
            assertThat(w[1 - good]).isCloseTo(settled, within(1e-12)).isBetween(ALPHA / 2, 1.01 * ALPHA / 2 / (1 - r));
        }
        // ln(N/α) / (η Δℓ) = ln(2000) / (2 · 0.5) ≈ 7.6 steps to climb back from the floor.
        double climb = Math.log(2 / ALPHA) / (ETA * 0.5);
        assertThat(leadFrom[1]).isBetween(1, (int) Math.ceil(climb) + 1);
        assertThat(leadFrom[2]).isBetween(1, (int) Math.ceil(climb) + 1);
    }

    @Test
    void implausibleWeightsAreRecognised() {
        FixedShareAggregation rule = FixedShareAggregation.standard(2, 1);
        assertThat(rule.plausible(new double[] {0.3, 0.7})).isTrue();
        assertThat(rule.plausible(new double[] {0.3, 0.3})).isFalse();
        assertThat(rule.plausible(new double[] {0, 1})).as("below the floor").isFalse();
        assertThat(rule.plausible(new double[] {Double.NaN, 1})).isFalse();
        assertThatThrownBy(() -> new FixedShareAggregation(0, 1, 1, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FixedShareAggregation(2, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
