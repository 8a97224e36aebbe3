package io.streamgru.model.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.optim.LearningRateSchedule;
import io.streamgru.model.optim.ScheduleSpec;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: the online forecaster, a detector on its absolute errors (in the loss's units) and a
 * policy, on bench/synthetic_series.py's drift_sine shortened to 30,000 points (change at 18,000:
 * level +2 sd, frequency 0.02 → 0.05). The full-size measurements (and the demo fleet) are
 * bench's {@code DriftExperiment}'s; docs/drift.md has both.
 */
class ForecasterDriftTest {

    static final int N = 30_000;
    static final int CHANGE = 18_000;
    // The defaults, univariate, without the linear path: the drift measurements (docs/drift.md) were
    // made on the GRU alone, and PolicyForecaster reproduces its training without parameter groups.
    static final LearnerConfig CONFIG = LearnerConfig.builder().linearLags(0).build();
    static final PolicyForecaster.MomentReset ZERO = PolicyForecaster.MomentReset.ZERO_MOMENTS;

    static double[] series;
    /** No policy; Page-Hinkley (River's defaults) watching, and the monitored values recorded. */
    static SineRun.Result plain;
    /** boost:3:100 told of the drift at the change (an oracle): its monitored values, MAE and rates. */
    static double[] boostedMonitored;
    static double boostedMae500;
    static double boostedMae5pct;
    static long boostFrom;
    static long boostedSteps;
    /** Per optimizer step of the boosted run: the rate applied over the schedule's rate for that step. */
    static double[] rateRatio;

    @BeforeAll
    static void runWithoutAndWithBoost() {
        series = SineRun.driftSine(N, CHANGE);
        plain = SineRun.run(CONFIG, series, CHANGE, DriftPolicy::none, ZERO, PageHinkley::new, false);

        LearningRateSchedule schedule = ScheduleSpec.parse(CONFIG.schedule(), CONFIG.learningRate());
        PolicyForecaster boosted = new PolicyForecaster(CONFIG, DriftPolicy.boostLearningRate(3, 100));
        SeriesState s = boosted.newSeries();
        boostedMonitored = new double[N];
        rateRatio = new double[N / CONFIG.window() + 1];
        FleetRun.Mae mae500 = new FleetRun.Mae();
        FleetRun.Mae mae5 = new FleetRun.Mae();
        double[] none = new double[0];
        for (int t = 0; t < N; t++) {
            if (t == CHANGE) {
                boostFrom = boosted.accumulator().optimizer().steps();
                boosted.drift();
            }
            long stepsBefore = boosted.accumulator().stepsApplied();
            boosted.observe(s, none, series[t]);
            long steps = boosted.accumulator().stepsApplied();
            if (steps > stepsBefore) {
                rateRatio[(int) (steps - 1)] = boosted.accumulator().lastLearningRate() / schedule.rate(steps - 1);
            }
            double forecast = s.resolvedForecast();
            boostedMonitored[t] = Double.isNaN(forecast) ? Double.NaN
                    : DriftDetector.absoluteError(forecast, series[t], boosted.errorScale(s));
            if (t >= CHANGE && t < CHANGE + 500) {
                mae500.add(Math.abs(forecast - series[t]));
            }
            if (t >= CHANGE && t < CHANGE + N / 20) {
                mae5.add(Math.abs(forecast - series[t]));
            }
        }
        boostedSteps = boosted.accumulator().stepsApplied();
        boostedMae500 = mae500.mae();
        boostedMae5pct = mae5.mae();
    }

    @Test
    void with_no_policy_the_harness_computes_exactly_what_the_online_forecaster_does() {
        LearnerConfig config = LearnerConfig.builder().features(2).linearLags(0).build(); // no parameter groups here
        OnlineForecaster reference = new OnlineForecaster(config);
        PolicyForecaster harness = new PolicyForecaster(config, DriftPolicy.none());
        DriftingFleet fleet = new DriftingFleet(6, 200, 42);
        SeriesState[] a = new SeriesState[6];
        SeriesState[] b = new SeriesState[6];
        for (int s = 0; s < 6; s++) {
            a[s] = reference.newSeries();
            b[s] = harness.newSeries();
        }
        double[] x = new double[2];
        for (int r = 0; r < 6 * 400; r++) {
            fleet.next();
            x[0] = fleet.outdoor;
            x[1] = fleet.occupancy;
            double fa = reference.observe(a[fleet.sensor], x, fleet.reading);
            double fb = harness.observe(b[fleet.sensor], x, fleet.reading);
            assertThat(fb).isEqualTo(fa);
        }
        assertThat(harness.accumulator().stepsApplied()).isEqualTo(reference.accumulator().stepsApplied()).isPositive();
    }

    @Test
    void the_detector_on_the_forecasters_error_fires_after_the_change_and_not_in_the_thousands_of_records_before() {
        List<Integer> river = plain.detections();
        List<Integer> alpha1 = SineRun.detections(new PageHinkley(30, 0.005, 50, 1.0, DriftDirection.UP), plain.monitored());
        List<Integer> adwin = SineRun.detections(new Adwin(), plain.monitored());
        System.out.printf(Locale.ROOT, "drift_sine %d/%d detections: page-hinkley %s, page-hinkley alpha=1 %s, adwin %s%n",
                N, CHANGE, river, alpha1, adwin);
        // ADWIN: at its first check after the change (every 32 values). Page-Hinkley: the errors after the
        // change are about 1 to 2 in the loss's units, against a mean since the last restart of about 0.3,
        // so S+ gains about 1 per record: the threshold of 50 within a few hundred (River's forgetting
        // factor had already lifted S+ above its minimum before the change, so it fires sooner).
        assertThat(SineRun.delay(adwin, CHANGE)).isBetween(0, 31);
        assertThat(SineRun.delay(river, CHANGE)).isBetween(0, 300);
        assertThat(SineRun.delay(alpha1, CHANGE)).isBetween(0, 300);
        // The model learns the sine in the first few thousand records, and the detectors fire while it
        // does (the error is not stationary then). Page-Hinkley does not fire in the 8,000 records before
        // the change; ADWIN, which reacts to any significant rise of the window's mean, once (measured:
        // 976 records before the change, where the error of the settled model rises a little).
        assertThat(river).noneMatch(i -> i >= CHANGE - 8_000 && i < CHANGE);
        assertThat(alpha1).noneMatch(i -> i >= CHANGE - 8_000 && i < CHANGE);
        assertThat(adwin.stream().filter(i -> i >= CHANGE - 8_000 && i < CHANGE).count()).isLessThanOrEqualTo(1);
    }

    @Test
    void boost_raises_the_rate_for_its_steps_only_and_changes_nothing_before_the_drift() {
        assertThat(boostedSteps).isGreaterThan(boostFrom + 100);
        for (int step = 0; step < boostedSteps; step++) {
            double expected = step >= boostFrom && step < boostFrom + 100 ? 3.0 : 1.0;
            assertThat(rateRatio[step]).as("step %d", step).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        }
        // Arrays.equals: bit for bit (NaN, before the first forecast, equal to NaN).
        assertThat(java.util.Arrays.copyOf(boostedMonitored, CHANGE)).isEqualTo(java.util.Arrays.copyOf(plain.monitored(), CHANGE));
        assertThat(boostedMonitored[CHANGE + 100]).isNotEqualTo(plain.monitored()[CHANGE + 100]);
    }

    /**
     * The measurement the issue asks for: MAE over the 500 records after the change without a policy
     * and with BOOST_LEARNING_RATE, set off at the change itself (an oracle: the best a detector can
     * do) and by Page-Hinkley on the error. Measured (docs/drift.md): the boost does NOT help here,
     * where the schedule still gives 3.1e-3 at the change (step 1,125): Adam's step already grows by itself when
     * the gradients jump after a calm period (its second moment lags), and a boost on top overshoots.
     * (On drift_sine_long, where the rate sits at its floor of 3e-4, the same boost does help:
     * bench's {@code DriftExperiment}.)
     */
    @Test
    void boosting_the_learning_rate_at_the_change_does_not_recover_faster_here() {
        SineRun.Result detectedBoost = SineRun.run(CONFIG, series, CHANGE, () -> DriftPolicy.boostLearningRate(3, 100),
                ZERO, PageHinkley::new, false);
        System.out.printf(Locale.ROOT, "drift_sine %d/%d MAE over the 500 records after the change: none %.5f, "
                        + "boost:3:100 at the change %.5f, boost:3:100 on Page-Hinkley %.5f (%d drifts heard, %d acted on); "
                        + "over the 5%% after: %.5f / %.5f / %.5f%n",
                N, CHANGE, plain.mae500(), boostedMae500, detectedBoost.mae500(),
                detectedBoost.policyDrifts(), detectedBoost.policyActedOn(),
                plain.mae5pct(), boostedMae5pct, detectedBoost.mae5pct());
        assertThat(boostedMae500).isGreaterThan(plain.mae500());
        assertThat(detectedBoost.mae500()).isGreaterThan(plain.mae500());
    }
}
