package io.streamgru.bench;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.SeriesStateCodec;

/**
 * Per-record cost of the learner path as a learner task runs it, without Kafka: decode the key's
 * state, observe (forecast and learn), encode the state; 500 keys, 2 features, the defaults. Run it
 * with the jar of each release side by side (docs/ROBUSTNESS.md):
 * {@code java -cp stream-app/target/streamgru.jar bench/src/main/java/io/streamgru/bench/KeyStatePathCost.java}
 */
public final class KeyStatePathCost {
    public static void main(String[] a) {
        LearnerConfig c = LearnerConfig.builder().features(2).build();
        OnlineForecaster f = new OnlineForecaster(c);
        SeriesStateCodec codec = new SeriesStateCodec(c);
        int keys = 500;
        byte[][] store = new byte[keys][];
        SeriesState s = f.newSeries();
        byte[] empty = codec.encode(f.newSeries());
        double[] x = new double[2];
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            int n = 0;
            for (int t = 0; t < 400; t++) {
                for (int k = 0; k < keys; k++) {
                    codec.decodeInto(store[k] == null ? empty : store[k], s);
                    x[0] = Math.sin(0.1 * t + k); x[1] = Math.cos(0.05 * t);
                    f.observe(s, x, Math.sin(0.1 * (t + 1) + k) * (1 + k % 7));
                    store[k] = codec.encode(s);
                    n++;
                }
            }
            System.out.printf("rep %d: %.2f us/record%n", rep, (System.nanoTime() - t0) / 1e3 / n);
        }
    }
}
