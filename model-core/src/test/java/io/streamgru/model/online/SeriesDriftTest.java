package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-series drift detector as the learner runs it: fed each scored forecast's absolute error
 * in the loss's units, with the default detector ({@code page-hinkley}: River's parameters, α = 1,
 * increases only).
 *
 * <p>The stream: {@code y = 2 x + 0.5 ε} with x, ε standard normal, x given as the one feature and
 * no autoregressive input, so the model must learn the relation and cannot follow a jump of the
 * level by copying the last target (a residual forecaster absorbs a pure level shift after one
 * record). The injected drift: the level jumps by +3 (about 1.5 standard deviations of y) and stays.
 */
class SeriesDriftTest {

    private static final int SHIFT_AT = 3_000;
    private static final double SHIFT = 3.0;

    private static LearnerConfig config(String detector) {
        return LearnerConfig.builder().features(1).horizon(1).autoregressive(false).hidden(8)
                .driftDetector(detector).build();
    }

    /** Records (from 0) at which the series' detector fired, over {@code records} records. */
    private static List<Integer> detections(long seed, int records, double shift, String detector) {
        OnlineForecaster f = new OnlineForecaster(config(detector));
        SeriesState s = f.newSeries();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[1];
        List<Integer> at = new ArrayList<>();
        for (int t = 0; t < records; t++) {
            x[0] = rnd.nextGaussian();
            double y = 2 * x[0] + 0.5 * rnd.nextGaussian() + (t >= SHIFT_AT ? shift : 0);
            f.observe(s, x, y);
            if (s.driftDetected()) {
                at.add(t);
            }
        }
        assertThat(s.driftDetections()).isEqualTo(at.size());
        return at;
    }

    @Test
    void theDefaultDetectorSeesAnInjectedLevelShiftWithinABoundedDelay() {
        List<Integer> delays = new ArrayList<>();
        for (long seed = 1; seed <= 10; seed++) {
            List<Integer> at = detections(seed, SHIFT_AT + 1_000, SHIFT, "page-hinkley");
            int first = at.stream().filter(t -> t >= SHIFT_AT).findFirst().orElse(Integer.MAX_VALUE);
            delays.add(first - SHIFT_AT);
        }
        System.out.printf(Locale.ROOT, "level shift +%.1f at record %d: delays of the default detector (10 seeds) %s%n",
                SHIFT, SHIFT_AT, delays);
        // Right after the jump the scaled error rises by about 1.3 per record (the level's sd is about
        // 2.2 units), so S+ would pass λ = 50 after about 40 records if the model stood still; it
        // relearns the level meanwhile, so the excess shrinks: measured 7–103 records over seeds 1–10.
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(0, 200));
    }

    @Test
    void falseAlarmsOnAStationaryStreamAreRareOverManySeeds() {
        int seeds = 12;
        int records = 10_000;
        int warmUp = 500;
        int alarms = 0;
        int alarmsWhileLearning = 0;
        for (long seed = 100; seed < 100 + seeds; seed++) {
            for (int t : detections(seed, records, 0.0, "page-hinkley")) {
                if (t < warmUp) {
                    alarmsWhileLearning++;
                } else {
                    alarms++;
                }
            }
        }
        double per10k = alarms * 10_000.0 / (seeds * (records - warmUp));
        System.out.printf(Locale.ROOT, "stationary stream, default detector: %d false alarms over %d seeds x %d records"
                + " after a warm-up of %d (%.2f per 10,000 records); %d during the warm-up%n",
                alarms, seeds, records - warmUp, warmUp, per10k, alarmsWhileLearning);
        // On iid |N(0,1)| errors this detector raises 0.65 per 10,000 (docs/drift.md); a learning
        // model's errors are not iid, so the bound is looser: 2 per 10,000 records.
        assertThat(per10k).isLessThanOrEqualTo(2.0);
    }

    @Test
    void withoutADetectorNothingIsDetected() {
        assertThat(detections(1, SHIFT_AT + 500, SHIFT, "none")).isEmpty();
    }

    @Test
    void adwinAlsoSeesTheShift() {
        List<Integer> at = detections(1, SHIFT_AT + 1_000, SHIFT, "adwin");
        assertThat(at).anySatisfy(t -> assertThat(t).isBetween(SHIFT_AT, SHIFT_AT + 100));
    }

    @Test
    void theForecastersOptimizerFollowsTheConfiguredPolicyOnTheSeriesDrifts() {
        LearnerConfig boost = config("page-hinkley").toBuilder().driftPolicy("boost:3:1000000").build();
        OnlineForecaster f = new OnlineForecaster(boost);
        OnlineForecaster plain = new OnlineForecaster(config("page-hinkley"));
        SeriesState s = f.newSeries();
        SeriesState p = plain.newSeries();
        SplittableRandom rnd = new SplittableRandom(1);
        double[] x = new double[1];
        int firstDrift = -1;
        for (int t = 0; t < SHIFT_AT + 300; t++) {
            x[0] = rnd.nextGaussian();
            double y = 2 * x[0] + 0.5 * rnd.nextGaussian() + (t >= SHIFT_AT ? SHIFT : 0);
            double a = f.observe(s, x.clone(), y);
            double b = plain.observe(p, x.clone(), y);
            if (firstDrift < 0 && s.driftDetected()) {
                firstDrift = t;
            }
            if (firstDrift < 0) {
                assertThat(a).as("identical until the first drift, record %d", t).isEqualTo(b);
            }
        }
        assertThat(firstDrift).isGreaterThanOrEqualTo(SHIFT_AT);
        assertThat(f.driftPolicy().drifts()).isEqualTo(s.driftDetections());
        assertThat(f.driftPolicy().actedOn()).isEqualTo(1);
        double scheduled = plain.accumulator().lastLearningRate();
        assertThat(f.accumulator().lastLearningRate()).isCloseTo(3 * scheduled, org.assertj.core.data.Percentage.withPercentage(1));

        OnlineForecaster reset = new OnlineForecaster(config("page-hinkley").toBuilder().driftPolicy("reset-moments").build());
        SeriesState r = reset.newSeries();
        rnd = new SplittableRandom(1);
        for (int t = 0; t < SHIFT_AT + 300; t++) {
            x[0] = rnd.nextGaussian();
            reset.observe(r, x, 2 * x[0] + 0.5 * rnd.nextGaussian() + (t >= SHIFT_AT ? SHIFT : 0));
        }
        assertThat(reset.driftPolicy().resets()).isPositive();
    }
}
