package io.streamgru.bench.e2e;

import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.ModelInitialization;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.SeriesStateCodec;
import io.streamgru.model.optim.GradientWindow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark's input: {@code keys} sensors, each reading {@value #FEATURES} features and a
 * target, interleaved (record i belongs to key i mod keys, step i / keys), as compact JSON; and the
 * state bytes the real learner writes per key, record after record.
 */
final class BenchData {

    /** Features per input record (the app reads the first {@code features} of them). */
    static final int FEATURES = 8;
    static final String TARGET = "temperature";

    private final int keys;
    private final long epochMs;
    private final SplittableRandom random = new SplittableRandom(42);

    /**
     * Record timestamps are one minute apart per key and end about now: a fixed date in the past
     * would fall behind the broker's 7-day retention and the broker would delete the records
     * (input and forecasts alike) while the benchmark runs.
     */
    BenchData(int keys, long records) {
        this.keys = keys;
        long steps = records / keys + 1;
        this.epochMs = (System.currentTimeMillis() / 60_000L - steps) * 60_000L;
    }

    static String key(int k) {
        return String.format(Locale.ROOT, "sensor-%04d", k);
    }

    static String feature(int j) {
        return "f" + j;
    }

    long timestamp(long step) {
        return epochMs + step * 60_000L;
    }

    /** Feature values and target of key {@code k} at {@code step}: smooth cycles plus noise. */
    double[] reading(int k, long step) {
        double[] v = new double[FEATURES + 1];
        double target = 20 + 2 * Math.sin(0.05 * step + k);
        for (int j = 0; j < FEATURES; j++) {
            v[j] = Math.sin(0.1 * step + 0.7 * k + j) + 0.1 * random.nextDouble();
            target += 0.3 * v[j] / (j + 1);
        }
        v[FEATURES] = target + 0.05 * random.nextDouble();
        return v;
    }

    /** The JSON value of record {@code i}: {"f0":…,…,"f7":…,"temperature":…}. */
    byte[] json(long i) {
        int k = (int) (i % keys);
        double[] v = reading(k, i / keys);
        StringBuilder s = new StringBuilder(160).append('{');
        for (int j = 0; j < FEATURES; j++) {
            s.append('"').append(feature(j)).append("\":").append(String.format(Locale.ROOT, "%.4f", v[j])).append(',');
        }
        s.append('"').append(TARGET).append("\":").append(String.format(Locale.ROOT, "%.4f", v[FEATURES])).append('}');
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What {@link #stateCycle} found: the encoded states after a key's 1st, 2nd, … record, and where they repeat. */
    record StateCycle(List<byte[]> states, int cycleStart, int period) {
        double meanCycleBytes() {
            return states.subList(cycleStart, cycleStart + period).stream().mapToInt(b -> b.length).average()
                    .orElse(0);
        }
    }

    /**
     * Runs the real {@link SeriesLearner} over one key's readings and encodes its state after each
     * record with {@link SeriesStateCodec}, as the learner processor does, until the state sizes repeat.
     */
    StateCycle stateCycle(LearnerConfig config) {
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        GradientWindow window = new GradientWindow(layout.size(), config.window());
        SeriesLearner learner = new SeriesLearner(config, new GruModel(layout, ModelInitialization.initialParameters(config)),
                SeriesLearner.newFeatureNormalizer(config), SeriesLearner.newTargetNormalizer(), window,
                () -> {
                    if (window.ready()) {
                        window.clear();
                    }
                });
        SeriesStateCodec codec = new SeriesStateCodec(config);
        SeriesState series = learner.newSeries();
        int records = 4 * (config.chunk() + config.horizon()) + 4;
        List<byte[]> states = new ArrayList<>();
        double[] features = new double[config.features()];
        for (int step = 0; step < records; step++) {
            double[] v = reading(0, step);
            System.arraycopy(v, 0, features, 0, features.length);
            learner.observe(series, features, v[FEATURES]);
            byte[] bytes = codec.encode(series);
            states.add(bytes);
            series = codec.decode(bytes); // as the processor: decode what it stored
        }
        for (int period = 1; period <= records / 3; period++) {
            for (int start = 0; start + 3 * period <= records; start++) {
                boolean repeats = true;
                for (int i = start; i + period < records && repeats; i++) {
                    repeats = states.get(i).length == states.get(i + period).length;
                }
                if (repeats) {
                    return new StateCycle(List.copyOf(states.subList(0, start + period)), start, period);
                }
            }
        }
        throw new IllegalStateException("state sizes do not cycle within " + records + " records");
    }
}
