package io.streamgru.app.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;

/**
 * A learnable synthetic input for end-to-end tests: JSON readings {@code {"load", "temperature", "t"}}
 * of sensors {@code sensor-0…}, where the temperature follows the load one step later.
 */
public final class SensorReadings {

    private SensorReadings() {
    }

    /** Readings of {@code keys} sensors for steps {@code fromStep} (inclusive) to {@code toStep}, interleaved by step. */
    public static List<KeyValue<byte[], byte[]>> json(int keys, int fromStep, int toStep) {
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = fromStep; t < toStep; t++) {
            for (int k = 0; k < keys; k++) {
                double load = Math.sin(0.2 * t + k);
                double temperature = 20 + 3 * Math.sin(0.2 * (t - 1) + k);
                String value = String.format(Locale.ROOT, "{\"load\":%.6f,\"temperature\":%.6f,\"t\":%d}", load,
                        temperature, t);
                records.add(KeyValue.pair(("sensor-" + k).getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return records;
    }
}
