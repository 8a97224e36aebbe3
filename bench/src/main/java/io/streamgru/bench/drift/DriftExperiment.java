package io.streamgru.bench.drift;

import io.streamgru.model.drift.Adwin;
import io.streamgru.model.drift.DriftDetector;
import io.streamgru.model.drift.DriftDirection;
import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.drift.FleetRun;
import io.streamgru.model.drift.PageHinkley;
import io.streamgru.model.drift.PolicyForecaster;
import io.streamgru.model.drift.SineRun;
import io.streamgru.model.online.LearnerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The measurements of docs/drift.md on the forecaster: the demo's drifting fleet, drift_sine and
 * drift_sine_long (not a test: minutes on one core; sine-long about ten). The runs are model-core's
 * drift test harnesses ({@link FleetRun}, {@link SineRun}, {@link PolicyForecaster}, from its test-jar),
 * which ForecasterDriftTest checks. Run from the repository root:
 * <pre>
 * bench/run-program.sh io.streamgru.bench.drift.DriftExperiment [detectors|policies|sine|sine-long|all] [seeds...]
 * </pre>
 */
public final class DriftExperiment {

    record Named<T>(String name, T value) {
    }

    static final List<Named<Supplier<DriftDetector>>> DETECTORS = List.of(
            new Named<>("page-hinkley (River defaults, up)", PageHinkley::new),
            new Named<>("page-hinkley alpha=1", () -> new PageHinkley(30, 0.005, 50, 1.0, DriftDirection.UP)),
            new Named<>("adwin (River defaults, up)", Adwin::new),
            new Named<>("page-hinkley delta=0.05 threshold=6", () -> new PageHinkley(30, 0.05, 6, 1 - 1e-4, DriftDirection.UP)),
            new Named<>("page-hinkley delta=0.05 threshold=6 alpha=1", () -> new PageHinkley(30, 0.05, 6, 1.0, DriftDirection.UP)));

    private DriftExperiment() {
    }

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        List<Long> seeds = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            seeds.add(Long.parseLong(args[i]));
        }
        if (seeds.isEmpty()) {
            seeds = List.of(42L, 1L, 2L);
        }
        LearnerConfig config = LearnerConfig.builder().features(2).build(); // the demo's learner: the defaults
        if (what.equals("detectors") || what.equals("all")) {
            detectors(config, seeds);
        }
        if (what.equals("policies") || what.equals("all")) {
            policies(config, seeds);
        }
        if (what.equals("sine") || what.equals("all")) {
            sine(LearnerConfig.builder().build(), seeds, false);
        }
        if (what.equals("sine-long") || what.equals("all")) {
            sine(LearnerConfig.builder().build(), seeds, true);
        }
    }

    static FleetRun.Setup demo(long seed, boolean pooled) {
        // The demo's defaults: 48 sensors, drift at hour 1500; 500 hours after it.
        return new FleetRun.Setup(48, 1500, 500, seed, 300, pooled);
    }

    static void detectors(LearnerConfig config, List<Long> seeds) {
        System.out.println("## Detectors on the demo fleet (48 sensors, 16 drift at hour 1500), no policy");
        System.out.println("### One detector per sensor");
        System.out.println("| detector | seed | drifting sensors detected (of 16) within 24 h / 100 h / 500 h | median delay (h) "
                + "| alarms in warm-up (< 300 h) | alarms 300–1500 h (all 48) | alarms after, stable sensors (32) | detections after, drifting |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Named<Supplier<DriftDetector>> d : DETECTORS) {
            for (long seed : seeds) {
                FleetRun.Result r = FleetRun.run(demo(seed, false), config, DriftPolicy::none,
                        PolicyForecaster.MomentReset.ZERO_MOMENTS, d.value(), false);
                System.out.printf(Locale.ROOT, "| %s | %d | %d / %d / %d | %.1f | %d | %d | %d | %d |%n", d.name(), seed,
                        r.detectedWithin(24), r.detectedWithin(100), r.detectedWithin(500), r.medianDelay(),
                        r.warmupAlarms(), r.alarmsBefore(), r.alarmsAfterStable(), r.detectionsAfterDrifting());
            }
        }
        System.out.println("### One detector for the fleet (every reading's error, in arrival order)");
        System.out.println("| detector | seed | first detection after the drift (h) | alarms in warm-up (< 300 h) "
                + "| alarms 300–1500 h | detections 1500–2000 h | hours of the detections from 300 h on |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Named<Supplier<DriftDetector>> d : DETECTORS) {
            for (long seed : seeds) {
                FleetRun.Result r = FleetRun.run(demo(seed, true), config, DriftPolicy::none,
                        PolicyForecaster.MomentReset.ZERO_MOMENTS, d.value(), false);
                List<Long> late = r.detectionHours().stream().filter(h -> h >= 300).toList();
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s |%n", d.name(), seed, r.pooledDelay(),
                        r.warmupAlarms(), r.alarmsBefore(), r.detectionsAfterDrifting(),
                        late.size() > 12 ? late.subList(0, 12) + "..." : late);
            }
        }
    }

    /** What sets off the policy. */
    record Trigger(String name, Supplier<DriftDetector> detector, boolean pooled, boolean oracle) {
    }

    static final List<Trigger> TRIGGERS = List.of(
            new Trigger("oracle (told at the drift hour)", null, false, true),
            new Trigger("page-hinkley delta=0.05 threshold=6 per sensor",
                    () -> new PageHinkley(30, 0.05, 6, 1 - 1e-4, DriftDirection.UP), false, false),
            new Trigger("page-hinkley River defaults, pooled", PageHinkley::new, true, false));

    static void policies(LearnerConfig config, List<Long> seeds) {
        List<Named<Supplier<DriftPolicy>>> policies = List.of(
                new Named<>("none", DriftPolicy::none),
                new Named<>("boost:3:100", () -> DriftPolicy.boostLearningRate(3, 100)),
                new Named<>("boost:10:100", () -> DriftPolicy.boostLearningRate(10, 100)),
                new Named<>("boost:3:500", () -> DriftPolicy.boostLearningRate(3, 500)),
                new Named<>("boost:10:500", () -> DriftPolicy.boostLearningRate(10, 500)),
                new Named<>("reset-moments", DriftPolicy::resetMoments));
        System.out.println();
        System.out.println("## Policies on the demo fleet, MAE in °C (mean over seeds " + seeds + ")");
        System.out.println("| trigger | policy | drifts heard / acted on | first 500 drifting readings | drifting, 0–100 h "
                + "| drifting, 100–500 h | stable sensors, 0–500 h | all, 200 h before |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Trigger t : TRIGGERS) {
            for (Named<Supplier<DriftPolicy>> p : policies) {
                if (p.name().equals("none") && t != TRIGGERS.get(0)) {
                    continue; // the same run whatever the trigger
                }
                List<PolicyForecaster.MomentReset> resets = p.name().equals("reset-moments")
                        ? List.of(PolicyForecaster.MomentReset.ZERO_MOMENTS, PolicyForecaster.MomentReset.OPTIMIZER_RESET)
                        : List.of(PolicyForecaster.MomentReset.ZERO_MOMENTS);
                for (PolicyForecaster.MomentReset reset : resets) {
                    double[] sums = new double[5];
                    long drifts = 0;
                    long acted = 0;
                    for (long seed : seeds) {
                        FleetRun.Result r = FleetRun.run(demo(seed, t.pooled()), config, p.value(), reset, t.detector(),
                                t.detector() != null, t.oracle());
                        sums[0] += r.maeFirst500();
                        sums[1] += r.maeDrifting100();
                        sums[2] += r.maeDrifting100to500();
                        sums[3] += r.maeStableAfter();
                        sums[4] += r.maeBefore();
                        drifts += r.policyDrifts();
                        acted += r.policyActedOn();
                    }
                    int n = seeds.size();
                    String name = p.name() + (reset == PolicyForecaster.MomentReset.OPTIMIZER_RESET ? " (optimizer.reset())" : "");
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f |%n",
                            p.name().equals("none") ? "—" : t.name(), name,
                            p.name().equals("none") ? "—" : String.format(Locale.ROOT, "%.1f / %.1f", drifts / (double) n, acted / (double) n),
                            sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n);
                }
            }
        }
    }

    static void sine(LearnerConfig config, List<Long> seeds, boolean longer) {
        int n = longer ? 1_000_000 : 100_000;
        int change = n * 6 / 10;
        double[] series = SineRun.driftSine(n, change);
        List<Named<Supplier<DriftPolicy>>> policies = longer
                ? List.of(
                        new Named<>("none", DriftPolicy::none),
                        new Named<>("boost:3:500", () -> DriftPolicy.boostLearningRate(3, 500)),
                        new Named<>("boost:3:2000", () -> DriftPolicy.boostLearningRate(3, 2000)),
                        new Named<>("reset-moments", DriftPolicy::resetMoments))
                : List.of(
                        new Named<>("none", DriftPolicy::none),
                        new Named<>("boost:3:100", () -> DriftPolicy.boostLearningRate(3, 100)),
                        new Named<>("boost:10:100", () -> DriftPolicy.boostLearningRate(10, 100)),
                        new Named<>("boost:3:500", () -> DriftPolicy.boostLearningRate(3, 500)),
                        new Named<>("boost:10:500", () -> DriftPolicy.boostLearningRate(10, 500)),
                        new Named<>("reset-moments", DriftPolicy::resetMoments));
        List<Named<Supplier<DriftDetector>>> triggers = List.of(
                new Named<>("oracle", null),
                new Named<>("page-hinkley (River defaults, up)", PageHinkley::new),
                new Named<>("page-hinkley alpha=1", () -> new PageHinkley(30, 0.005, 50, 1.0, DriftDirection.UP)),
                new Named<>("adwin (River defaults, up)", Adwin::new));
        System.out.println();
        System.out.printf(Locale.ROOT, "## %s (%,d points, change at %,d), MAE (mean over seeds %s)%n",
                longer ? "drift_sine_long" : "drift_sine", n, change, seeds);
        System.out.println("| trigger | policy | drifts heard / acted on | detection delay (records) | alarms 10,000–change "
                + "| 500 after | 5% after | 5% before | last 10% |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Named<Supplier<DriftDetector>> t : triggers) {
            for (Named<Supplier<DriftPolicy>> p : policies) {
                if (p.name().equals("none") && t != triggers.get(0)) {
                    continue; // the same run whatever the trigger
                }
                List<PolicyForecaster.MomentReset> resets = p.name().equals("reset-moments")
                        ? List.of(PolicyForecaster.MomentReset.ZERO_MOMENTS, PolicyForecaster.MomentReset.OPTIMIZER_RESET)
                        : List.of(PolicyForecaster.MomentReset.ZERO_MOMENTS);
                for (PolicyForecaster.MomentReset reset : resets) {
                    double[] sums = new double[4];
                    long drifts = 0;
                    long acted = 0;
                    long alarms = 0;
                    StringBuilder delays = new StringBuilder();
                    for (long seed : seeds) {
                        LearnerConfig c = config.toBuilder().seed(seed).build();
                        boolean oracle = t.value() == null;
                        SineRun.Result r = SineRun.run(c, series, change, p.value(), reset,
                                oracle ? PageHinkley::new : t.value(), oracle);
                        sums[0] += r.mae500();
                        sums[1] += r.mae5pct();
                        sums[2] += r.maeBefore();
                        sums[3] += r.maeLast10();
                        drifts += r.policyDrifts();
                        acted += r.policyActedOn();
                        alarms += r.alarmsBefore(change, 10_000);
                        delays.append(delays.length() == 0 ? "" : ", ").append(r.delay(change));
                    }
                    int k = seeds.size();
                    String name = p.name() + (reset == PolicyForecaster.MomentReset.OPTIMIZER_RESET ? " (optimizer.reset())" : "");
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.5f | %.5f | %.5f | %.6f |%n",
                            p.name().equals("none") ? "—" : t.name(), name,
                            p.name().equals("none") ? "—" : String.format(Locale.ROOT, "%.1f / %.1f", drifts / (double) k, acted / (double) k),
                            delays, alarms / (double) k, sums[0] / k, sums[1] / k, sums[2] / k, sums[3] / k);
                }
            }
        }
    }
}
