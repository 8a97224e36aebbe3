package io.streamgru.model.drift;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.SeriesState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * One prequential pass over the demo fleet ({@link DriftingFleet}) with a drift detector per sensor
 * on that sensor's absolute error in the loss's units, and optionally a policy that every detection
 * sets off. Records when detectors fire and the MAE (°C) over windows around the drift.
 */
public final class FleetRun {

    /** What to run. {@code warmupHours}: detections before this hour are counted apart (the model is learning). */
    public record Setup(int sensors, long driftAtHour, long hoursAfter, long seed, long warmupHours, boolean pooled) {
        long records() {
            return (long) sensors * (driftAtHour + hoursAfter);
        }
    }

    /**
     * @param firstDetectionDelay per sensor: hours from the drift to its first detection at or after it, -1 = none
     *     (pooled: element 0 is the pooled detector's)
     * @param warmupAlarms detections before {@code warmupHours}, all sensors
     * @param alarmsBefore detections from the warm-up to the drift, all sensors
     * @param alarmsAfterStable detections at or after the drift on sensors that do not drift (pooled: 0)
     * @param detectionsAfterDrifting detections at or after the drift on sensors that drift (pooled: all after it)
     * @param maeFirst500 MAE over the first 500 readings of drifting sensors from the drift on
     * @param maeDrifting100 MAE of drifting sensors over the 100 hours from the drift
     * @param maeDrifting100to500 the same, hours 100..500 after the drift
     * @param maeStableAfter MAE of the other sensors over the 500 hours from the drift
     * @param maeBefore MAE of all sensors over the 200 hours before the drift
     * @param policyDrifts detections that reached the policy
     * @param policyActedOn of which the policy acted on
     * @param detectionHours the hour of every detection, in order
     */
    public record Result(int[] firstDetectionDelay, long warmupAlarms, long alarmsBefore, long alarmsAfterStable,
                  long detectionsAfterDrifting, double maeFirst500, double maeDrifting100,
                  double maeDrifting100to500, double maeStableAfter, double maeBefore, long policyDrifts,
                  long policyActedOn, List<Long> detectionHours) {

        int driftingSensors() {
            int n = 0;
            for (int s = 0; s < firstDetectionDelay.length; s++) {
                if (DriftingFleet.drifts(s)) {
                    n++;
                }
            }
            return n;
        }

        /** Pooled: the first detection at or after the drift, in hours; -1 when none. */
        public int pooledDelay() {
            return firstDetectionDelay.length == 0 ? -1 : firstDetectionDelay[0];
        }

        /** Drifting sensors whose detector fired within {@code hours} after the drift. */
        public long detectedWithin(long hours) {
            long n = 0;
            for (int s = 0; s < firstDetectionDelay.length; s++) {
                if (DriftingFleet.drifts(s) && firstDetectionDelay[s] >= 0 && firstDetectionDelay[s] < hours) {
                    n++;
                }
            }
            return n;
        }

        /** Median delay over the drifting sensors that were detected; -1 when none. */
        public double medianDelay() {
            int[] d = new int[firstDetectionDelay.length];
            int n = 0;
            for (int s = 0; s < firstDetectionDelay.length; s++) {
                if (DriftingFleet.drifts(s) && firstDetectionDelay[s] >= 0) {
                    d[n++] = firstDetectionDelay[s];
                }
            }
            if (n == 0) {
                return -1;
            }
            Arrays.sort(d, 0, n);
            return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2.0;
        }
    }

    private FleetRun() {
    }

    /**
     * @param detector a fresh detector per sensor, or one for all sensors when {@code setup.pooled()}; null = none
     * @param respond whether detections reach the policy
     */
    public static Result run(Setup setup, LearnerConfig config, Supplier<DriftPolicy> policy,
                      PolicyForecaster.MomentReset momentReset, Supplier<DriftDetector> detector, boolean respond) {
        return run(setup, config, policy, momentReset, detector, respond, false);
    }

    /** As above; {@code oracle}: the policy also hears of the drift at the fleet's first reading of the drift hour. */
    public static Result run(Setup setup, LearnerConfig config, Supplier<DriftPolicy> policy,
                      PolicyForecaster.MomentReset momentReset, Supplier<DriftDetector> detector, boolean respond,
                      boolean oracle) {
        PolicyForecaster f = new PolicyForecaster(config, policy.get(), momentReset);
        DriftingFleet fleet = new DriftingFleet(setup.sensors(), setup.driftAtHour(), setup.seed());
        SeriesState[] states = new SeriesState[setup.sensors()];
        DriftDetector[] detectors = new DriftDetector[setup.sensors()];
        int[] delay = new int[setup.sensors()];
        Arrays.fill(delay, -1);
        DriftDetector shared = setup.pooled() && detector != null ? detector.get() : null;
        for (int s = 0; s < setup.sensors(); s++) {
            states[s] = f.newSeries();
            detectors[s] = detector == null ? null : setup.pooled() ? shared : detector.get();
        }
        double[] features = new double[2];
        long warmupAlarms = 0;
        long alarmsBefore = 0;
        long alarmsAfterStable = 0;
        long detectionsAfterDrifting = 0;
        Mae first500 = new Mae();
        Mae drifting100 = new Mae();
        Mae drifting100to500 = new Mae();
        Mae stableAfter = new Mae();
        Mae before = new Mae();
        long drift = setup.driftAtHour();
        List<Long> hours = new ArrayList<>();
        for (long r = 0; r < setup.records(); r++) {
            fleet.next();
            int s = fleet.sensor;
            long hour = fleet.readingHour;
            features[0] = fleet.outdoor;
            features[1] = fleet.occupancy;
            double truth = fleet.reading;
            if (oracle && hour == drift && s == 0) {
                f.drift();
            }
            f.observe(states[s], features, truth);
            double forecast = states[s].resolvedForecast();
            if (Double.isNaN(forecast)) {
                continue;
            }
            double error = Math.abs(forecast - truth);
            boolean drifting = DriftingFleet.drifts(s);
            if (hour >= drift) {
                if (drifting) {
                    if (first500.count < 500) {
                        first500.add(error);
                    }
                    if (hour < drift + 100) {
                        drifting100.add(error);
                    } else if (hour < drift + 500) {
                        drifting100to500.add(error);
                    }
                } else if (hour < drift + 500) {
                    stableAfter.add(error);
                }
            } else if (hour >= drift - 200) {
                before.add(error);
            }
            if (detectors[s] == null) {
                continue;
            }
            if (detectors[s].update(DriftDetector.absoluteError(forecast, truth, f.errorScale(states[s])))) {
                hours.add(hour);
                if (hour < setup.warmupHours()) {
                    warmupAlarms++;
                } else if (hour < drift) {
                    alarmsBefore++;
                } else if (setup.pooled()) {
                    detectionsAfterDrifting++;
                    if (delay[0] < 0) {
                        delay[0] = (int) (hour - drift);
                    }
                } else if (drifting) {
                    detectionsAfterDrifting++;
                    if (delay[s] < 0) {
                        delay[s] = (int) (hour - drift);
                    }
                } else {
                    alarmsAfterStable++;
                }
                if (respond) {
                    f.drift();
                }
            }
        }
        return new Result(delay, warmupAlarms, alarmsBefore, alarmsAfterStable, detectionsAfterDrifting,
                first500.mae(), drifting100.mae(), drifting100to500.mae(), stableAfter.mae(), before.mae(),
                f.policy().drifts(), f.policy().actedOn(), hours);
    }

    static final class Mae {
        long count;
        double sum;

        void add(double absError) {
            count++;
            sum += absError;
        }

        double mae() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
