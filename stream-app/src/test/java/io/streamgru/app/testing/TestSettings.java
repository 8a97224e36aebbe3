package io.streamgru.app.testing;

import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings every end-to-end test on a real broker starts from: one application reading the
 * {@link SensorReadings} shape ({@code load} → {@code temperature}) from {@code input}, committing
 * every 100 ms. Tests add their learner and streaming settings to the returned map themselves, so
 * the values a test depends on stay visible in the test.
 */
public final class TestSettings {

    private TestSettings() {
    }

    /** A new, mutable map: application, broker, state directory, commit interval and input topic. */
    public static Map<String, String> sensorApp(KafkaTestCluster kafka, String appId, String input, Path stateDir) {
        Map<String, String> m = new HashMap<>();
        m.put("app.id", appId);
        m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        m.put("kafka.state.dir", stateDir.toString());
        m.put("kafka.commit.interval.ms", "100"); // short, so forecasts become visible quickly under exactly-once
        m.put("input.topics", input);
        m.put("input.features", "load");
        m.put("input.target", "temperature");
        return m;
    }

    /** The configuration the application would build from these settings. */
    public static StreamGruConfig config(Map<String, String> settings) {
        return StreamGruConfig.from(Settings.of(settings, "test"));
    }
}
