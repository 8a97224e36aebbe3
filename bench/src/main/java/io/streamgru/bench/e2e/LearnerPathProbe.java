package io.streamgru.bench.e2e;

import io.streamgru.app.topology.GradientBatch;
import io.streamgru.app.topology.GradientBatchCodec;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.ModelInitialization;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.SeriesStateCodec;
import io.streamgru.model.optim.GradientWindow;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The learner task's per-record work without Kafka (docs/benchmarks-e2e.md, "the app's maths"):
 * state decode, {@link SeriesLearner#observe}, state encode, and a gradient batch encoded per full
 * window, over {@code keys} interleaved series as in the end-to-end input. Prints the thread's CPU
 * µs per record, in total and per phase, for comparing with the JMH figure (model-core alone).
 *
 * <p>{@code bench/run-program.sh io.streamgru.bench.e2e.LearnerPathProbe [records] [keys] [hidden] [window] [rounds]}
 */
public final class LearnerPathProbe {

    private LearnerPathProbe() {
    }

    public static void main(String[] args) {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int hidden = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        LearnerConfig config = LearnerConfig.builder().features(6).hidden(hidden).window(window).build();
        for (int r = 0; r < rounds; r++) {
            run(config, records, keys);
        }
    }

    private static void run(LearnerConfig config, long records, int keys) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        GradientWindow window = new GradientWindow(layout.size(), config.window());
        long[] sentBytes = new long[1];
        SeriesLearner[] holder = new SeriesLearner[1];
        WelfordNormalizer featureDelta = SeriesLearner.newFeatureNormalizer(config);
        WelfordNormalizer targetDelta = SeriesLearner.newTargetNormalizer();
        SeriesLearner learner = new SeriesLearner(config,
                new GruModel(layout, ModelInitialization.initialParameters(config)),
                SeriesLearner.newFeatureNormalizer(config), SeriesLearner.newTargetNormalizer(), window, () -> {
                    if (window.ready()) {
                        byte[] bytes = GradientBatchCodec.encode(new GradientBatch(0, "hash", "task", (int) window.samples(),
                                window.lossSum(), window.sum(), featureDelta.exportState(), targetDelta.exportState(), 0, 0),
                                io.streamgru.app.config.GradientPrecision.FLOAT32);
                        sentBytes[0] += bytes.length;
                        window.clear();
                    }
                });
        holder[0] = learner;
        learner.trackStatisticsIn(featureDelta);
        SeriesStateCodec codec = new SeriesStateCodec(config);
        byte[] empty = codec.encode(learner.newSeries());
        SeriesState series = learner.newSeries();
        Map<String, byte[]> store = new HashMap<>();
        BenchData data = new BenchData(keys, records);
        String[] names = new String[keys];
        for (int k = 0; k < keys; k++) {
            names[k] = BenchData.key(k);
        }
        double[][] inputs = new double[(int) Math.min(records, 50_000)][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = data.reading(i % keys, i / keys);
        }
        double[] features = new double[6];
        long decodeNs = 0;
        long observeNs = 0;
        long encodeNs = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        double check = 0;
        for (long i = 0; i < records; i++) {
            int k = (int) (i % keys);
            double[] v = inputs[(int) (i % inputs.length)];
            System.arraycopy(v, 0, features, 0, 6);
            long t0 = System.nanoTime();
            byte[] stored = store.get(names[k]);
            codec.decodeInto(stored == null ? empty : stored, series);
            long t1 = System.nanoTime();
            check += learner.observe(series, features, v[BenchData.FEATURES]);
            long t2 = System.nanoTime();
            store.put(names[k], codec.encode(series));
            long t3 = System.nanoTime();
            decodeNs += t1 - t0;
            observeNs += t2 - t1;
            encodeNs += t3 - t2;
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        System.out.printf(Locale.ROOT,
                "records %d keys %d: cpu %.2f us/rec, wall %.2f us/rec; decode %.2f observe %.2f encode %.2f;"
                        + " gradient bytes/rec %.0f (check %.3f)%n",
                records, keys, cpu / 1e3 / records, wall / 1e3 / records, decodeNs / 1e3 / records,
                observeNs / 1e3 / records, encodeNs / 1e3 / records, (double) sentBytes[0] / records, check / records);
    }
}
