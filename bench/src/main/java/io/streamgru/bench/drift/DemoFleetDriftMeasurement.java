package io.streamgru.bench.drift;

import io.streamgru.app.demo.SensorFleet;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The drift detector and policies as wired into the learner, measured on the demo's drifting stream
 * ({@link SensorFleet}: 48 rooms, one reading per room per hour; at hour 1500 every third room gets
 * warmer and reacts more strongly to occupancy). Each series' detector is the one
 * {@code learner.drift.detector} configures (kept in the series' state, fed the scaled absolute
 * error by the learner), and the optimizer follows {@code learner.drift.policy}, in one process
 * ({@link OnlineForecaster}: the same learner code as the streaming learner, with the optimizer
 * stepping every W samples instead of on gathered batches).
 *
 * <p>Prints one Markdown row per (detector, policy): drifting rooms detected within 24 / 100 / 500
 * hours and the median delay; false alarms (all rooms, hours 300 to the drift; and stable rooms after
 * it); the MAE (°C) of drifting rooms over the 100 and the 100–500 hours after the drift, of the
 * stable rooms over the 500 hours after it, of all rooms over the 200 hours before it; drifts the
 * policy heard / acted on. Means over the seeds given (default 42 1 2).
 *
 * <pre>
 * bench/run-program.sh io.streamgru.bench.drift.DemoFleetDriftMeasurement 42 1 2
 * </pre>
 */
public final class DemoFleetDriftMeasurement {

    static final int SENSORS = 48;
    static final long DRIFT_AT = 1500;
    static final long HOURS_AFTER = 500;
    static final long WARMUP = 300;

    /** One run's numbers. */
    record Result(int detected24, int detected100, int detected500, List<Long> delays, long alarmsBefore,
                  long alarmsStableAfter, double maeDrifting100, double maeDrifting100to500, double maeStableAfter,
                  double maeBefore, long heard, long actedOn) {
    }

    static Result run(String detector, String policy, long seed) {
        LearnerConfig config = LearnerConfig.builder().features(2).horizon(1).seed(seed).driftDetector(detector)
                .driftPolicy(policy).build();
        OnlineForecaster forecaster = new OnlineForecaster(config);
        SensorFleet fleet = new SensorFleet(SENSORS, DRIFT_AT, seed);
        SeriesState[] series = new SeriesState[SENSORS];
        for (int s = 0; s < SENSORS; s++) {
            series[s] = forecaster.newSeries();
        }
        long[] firstDelay = new long[SENSORS];
        java.util.Arrays.fill(firstDelay, -1);
        long alarmsBefore = 0;
        long alarmsStableAfter = 0;
        double[] sum = new double[4];
        long[] count = new long[4];
        double[] x = new double[2];
        for (long r = 0; r < SENSORS * (DRIFT_AT + HOURS_AFTER); r++) {
            SensorFleet.Reading reading = fleet.next();
            int s = (int) (r % SENSORS);
            long hour = reading.hour();
            x[0] = reading.outdoor();
            x[1] = reading.occupancy();
            SeriesState state = series[s];
            forecaster.observe(state, x, reading.temperature());
            boolean drifting = s % 3 == 0; // SensorFleet's drifting rooms
            double resolved = state.resolvedForecast();
            if (Double.isFinite(resolved)) {
                double e = Math.abs(resolved - reading.temperature());
                long after = hour - DRIFT_AT;
                int bucket = after < -200 ? -1 : after < 0 ? 3 : !drifting ? 2 : after < 100 ? 0 : 1;
                if (bucket >= 0) {
                    sum[bucket] += e;
                    count[bucket]++;
                }
            }
            if (state.driftDetected()) {
                if (hour >= WARMUP && hour < DRIFT_AT) {
                    alarmsBefore++;
                } else if (hour >= DRIFT_AT && !drifting) {
                    alarmsStableAfter++;
                } else if (hour >= DRIFT_AT && firstDelay[s] < 0) {
                    firstDelay[s] = hour - DRIFT_AT;
                }
            }
        }
        List<Long> delays = new ArrayList<>();
        int d24 = 0;
        int d100 = 0;
        for (int s = 0; s < SENSORS; s += 3) {
            if (firstDelay[s] >= 0) {
                delays.add(firstDelay[s]);
                d24 += firstDelay[s] < 24 ? 1 : 0;
                d100 += firstDelay[s] < 100 ? 1 : 0;
            }
        }
        return new Result(d24, d100, delays.size(), delays, alarmsBefore, alarmsStableAfter, sum[0] / count[0],
                sum[1] / count[1], sum[2] / count[2], sum[3] / count[3], forecaster.driftPolicy().drifts(),
                forecaster.driftPolicy().actedOn());
    }

    public static void main(String[] args) {
        long[] seeds = args.length == 0 ? new long[] {42, 1, 2} : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        String tuned = "page-hinkley:delta=0.05:threshold=6";
        String[][] runs = {
            {"none", "none"},
            {"page-hinkley", "none"},
            {"adwin", "none"},
            {tuned, "none"},
            {"page-hinkley", "boost:3:100"},
            {"page-hinkley", "reset-moments"},
            {tuned, "boost:3:100"},
            {tuned, "boost:3:500"},
            {tuned, "reset-moments"},
            {"adwin", "boost:3:100"},
            {"adwin", "reset-moments"},
        };
        System.out.printf(Locale.ROOT, "%d rooms (16 drift at hour %d), %d hours after; seeds %s; means over seeds%n%n",
                SENSORS, DRIFT_AT, HOURS_AFTER, java.util.Arrays.toString(seeds));
        System.out.println("| detector | policy | detected ≤24 / ≤100 / ≤500 h (of 16) | median delay h (all seeds) | false alarms "
                + "300–1500 h | stable rooms after | heard / acted on | MAE drifting 0–100 h | 100–500 h | stable 0–500 h "
                + "| all, 200 h before |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String[] r : runs) {
            double[] m = new double[12];
            List<Long> delays = new ArrayList<>();
            for (long seed : seeds) {
                long t0 = System.nanoTime();
                Result x = run(r[0], r[1], seed);
                System.err.printf(Locale.ROOT, "%s %s seed %d: %s (%.1f s)%n", r[0], r[1], seed, x,
                        (System.nanoTime() - t0) / 1e9);
                delays.addAll(x.delays());
                double[] v = {x.detected24(), x.detected100(), x.detected500(), 0, x.alarmsBefore(),
                    x.alarmsStableAfter(), x.heard(), x.actedOn(), x.maeDrifting100(), x.maeDrifting100to500(),
                    x.maeStableAfter(), x.maeBefore()};
                for (int i = 0; i < m.length; i++) {
                    m[i] += v[i] / seeds.length;
                }
            }
            delays.sort(null);
            m[3] = delays.isEmpty() ? Double.NaN : delays.size() % 2 == 1 ? delays.get(delays.size() / 2)
                    : (delays.get(delays.size() / 2 - 1) + delays.get(delays.size() / 2)) / 2.0;
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f / %.1f / %.1f | %s | %.1f | %.1f | %.1f / %.1f | %.4f | %.4f "
                    + "| %.4f | %.4f |%n", r[0], r[1], m[0], m[1], m[2], Double.isNaN(m[3]) ? "—"
                    : String.format(Locale.ROOT, "%.0f", m[3]), m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11]);
        }
    }
}
