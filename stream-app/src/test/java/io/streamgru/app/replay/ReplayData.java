package io.streamgru.app.replay;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;

/** Test data and settings for replays: sensors whose temperature follows their load one step later. */
final class ReplayData {

    private ReplayData() {
    }

    /** Readings of {@code keys} sensors at steps [from, to), interleaved, event time in field "ts" (ms). */
    static List<KeyValue<byte[], byte[]>> readings(int keys, int from, int to) {
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = from; t < to; t++) {
            for (int k = 0; k < keys; k++) {
                double load = Math.sin(0.2 * t + k);
                double temperature = 20 + 3 * Math.sin(0.2 * (t - 1) + k) + 0.5 * k;
                String value = String.format(Locale.ROOT, "{\"load\":%.6f,\"temperature\":%.6f,\"ts\":%d}", load,
                        temperature, 1_700_000_000_000L + t * 60_000L);
                records.add(KeyValue.pair(("sensor-" + k).getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return records;
    }

    static Map<String, String> settings(KafkaTestCluster kafka, String appId, String input, Path stateDir) {
        Map<String, String> m = TestSettings.sensorApp(kafka, appId, input, stateDir);
        m.put("input.time", "ts");
        m.put("learner.hidden", "8");
        m.put("learner.chunk", "8");
        m.put("learner.window", "16");
        m.put("learner.lr", "0.01");
        m.put("streaming.gradient.flush.ms", "500");
        return m;
    }

    static StreamGruConfig config(Map<String, String> settings) {
        return TestSettings.config(settings);
    }
}
