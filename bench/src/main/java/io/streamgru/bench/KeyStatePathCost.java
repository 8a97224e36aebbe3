package io.streamgru.bench;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.SeriesStateCodec;

/**
 * Per-record cost of the learner path as a learner task runs it, without Kafka: decode the key's
 * state, observe (forecast and learn), encode the state; 500 keys, the defaults but for the hidden
 * size and the feature count (arguments, default 32 and 2); also the mean bytes of the encoded
 * state, i.e. the key-state changelog's bytes per record when nothing is cached. Wall clock and
 * thread CPU time (the latter is steadier on a shared machine). Run it with the
 * jar of each release side by side (docs/ROBUSTNESS.md, docs/BENCHMARKS.md):
 * {@code java -cp stream-app/target/streamgru.jar bench/src/main/java/io/streamgru/bench/KeyStatePathCost.java [hidden] [features]}
 */
public final class KeyStatePathCost {
    public static void main(String[] a) {
        int hidden = a.length > 0 ? Integer.parseInt(a[0]) : 32;
        int features = a.length > 1 ? Integer.parseInt(a[1]) : 2;
        LearnerConfig c = LearnerConfig.builder().features(features).hidden(hidden).build();
        OnlineForecaster f = new OnlineForecaster(c);
        SeriesStateCodec codec = new SeriesStateCodec(c);
        int keys = 500;
        byte[][] store = new byte[keys][];
        SeriesState s = f.newSeries();
        byte[] empty = codec.encode(f.newSeries());
        double[] x = new double[features];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            int n = 0;
            long bytes = 0;
            for (int t = 0; t < 400; t++) {
                for (int k = 0; k < keys; k++) {
                    codec.decodeInto(store[k] == null ? empty : store[k], s);
                    for (int j = 0; j < features; j++) {
                        x[j] = j % 2 == 0 ? Math.sin(0.1 * t + k + j) : Math.cos(0.05 * t + j);
                    }
                    f.observe(s, x, Math.sin(0.1 * (t + 1) + k) * (1 + k % 7));
                    store[k] = codec.encode(s);
                    bytes += store[k].length;
                    n++;
                }
            }
            System.out.printf("rep %d: %.2f us/record (CPU %.2f), %.0f state bytes/record (hidden %d, features %d)%n",
                    rep, (System.nanoTime() - t0) / 1e3 / n, (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / n,
                    (double) bytes / n, hidden, features);
        }
    }
}
