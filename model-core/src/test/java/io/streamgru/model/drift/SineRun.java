package io.streamgru.model.drift;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.SeriesState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One prequential pass over bench/synthetic_series.py's {@code drift_sine}: sin of a phase that
 * advances by 0.02 per step, from {@code change} on by 0.05 (no jump in the phase) with the level
 * raised by two standard deviations of the values before the change. Univariate, horizon 1. A drift
 * detector watches the absolute error in the loss's units; its detections (or an oracle told at the
 * change) reach the policy.
 */
public final class SineRun {

    /**
     * @param detections indices of the detector's detections
     * @param mae500 MAE over the 500 records from the change on
     * @param mae5pct MAE over the 5% of records from the change on
     * @param maeBefore MAE over the 5% of records before the change
     * @param maeLast10 MAE over the last 10% of records
     * @param policyDrifts drifts the policy heard
     * @param policyActedOn of which it acted on
     * @param monitored the value fed to the detector at each record ({@link DriftDetector#absoluteError}; NaN before the first forecast)
     */
    public record Result(List<Integer> detections, double mae500, double mae5pct, double maeBefore, double maeLast10,
                  long policyDrifts, long policyActedOn, double[] monitored) {

        /** Records from the change to the first detection at or after it; -1 when none. */
        public int delay(int change) {
            return SineRun.delay(detections, change);
        }

        public long alarmsBefore(int change, int warmup) {
            return detections.stream().filter(i -> i >= warmup && i < change).count();
        }
    }

    private SineRun() {
    }

    /** Feeds a recorded stream of monitored values to a detector; the indices where it fired. */
    static List<Integer> detections(DriftDetector detector, double[] monitored) {
        List<Integer> at = new ArrayList<>();
        for (int t = 0; t < monitored.length; t++) {
            if (detector.update(monitored[t])) {
                at.add(t);
            }
        }
        return at;
    }

    /** Records from {@code change} to the first index at or after it; -1 when none. */
    static int delay(List<Integer> detections, int change) {
        return detections.stream().filter(i -> i >= change).findFirst().map(i -> i - change).orElse(-1);
    }

    public static double[] driftSine(int n, int change) {
        double[] v = new double[n];
        double phase = 0;
        for (int t = 0; t < n; t++) {
            v[t] = Math.sin(phase);
            phase += t < change ? 0.02 : 0.05;
        }
        double mean = 0;
        for (int t = 0; t < change; t++) {
            mean += v[t];
        }
        mean /= change;
        double ss = 0;
        for (int t = 0; t < change; t++) {
            ss += (v[t] - mean) * (v[t] - mean);
        }
        double std = Math.sqrt(ss / change); // numpy's std: population
        for (int t = change; t < n; t++) {
            v[t] += 2 * std;
        }
        return v;
    }

    public static Result run(LearnerConfig config, double[] series, int change, Supplier<DriftPolicy> policy,
                      PolicyForecaster.MomentReset reset, Supplier<DriftDetector> detector, boolean oracle) {
        PolicyForecaster f = new PolicyForecaster(config, policy.get(), reset);
        SeriesState s = f.newSeries();
        DriftDetector d = detector == null ? null : detector.get();
        int n = series.length;
        int five = n / 20;
        FleetRun.Mae m500 = new FleetRun.Mae();
        FleetRun.Mae m5 = new FleetRun.Mae();
        FleetRun.Mae before = new FleetRun.Mae();
        FleetRun.Mae last10 = new FleetRun.Mae();
        List<Integer> detections = new ArrayList<>();
        double[] none = new double[0];
        double[] monitored = new double[n];
        java.util.Arrays.fill(monitored, Double.NaN);
        for (int t = 0; t < n; t++) {
            if (oracle && t == change) {
                f.drift();
            }
            f.observe(s, none, series[t]);
            double forecast = s.resolvedForecast();
            if (Double.isNaN(forecast)) {
                continue;
            }
            double e = Math.abs(forecast - series[t]);
            if (t >= change && t < change + 500) {
                m500.add(e);
            }
            if (t >= change && t < change + five) {
                m5.add(e);
            }
            if (t >= change - five && t < change) {
                before.add(e);
            }
            if (t >= n - n / 10) {
                last10.add(e);
            }
            monitored[t] = DriftDetector.absoluteError(forecast, series[t], f.errorScale(s));
            if (d != null && d.update(monitored[t])) {
                detections.add(t);
                if (!oracle) {
                    f.drift();
                }
            }
        }
        return new Result(detections, m500.mae(), m5.mae(), before.mae(), last10.mae(), f.policy().drifts(),
                f.policy().actedOn(), monitored);
    }
}
