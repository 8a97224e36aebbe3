package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StreamGruMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift detector on a real broker, with the default settings ({@code learner.drift.detector}
 * page-hinkley, policy none): a level shift in the input marks the forecasts that resolve the
 * shifted readings as {@code drift}, and (almost) none before it.
 *
 * <p>Three sensors, {@code temperature = 20 + 2 load + 0.5 ε}, no autoregressive input (a residual
 * forecaster would absorb a pure level shift after one reading); from step {@value #SHIFT_AT} on,
 * +3. The readings are produced {@value #PACE} steps at a time, each once the previous ones were forecast.
 */
@WithKafka
class DriftEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int KEYS = 3;
    private static final int SHIFT_AT = 1_200;
    private static final int STEPS = SHIFT_AT + 400;
    private static final int PACE = 100;

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

    private static List<KeyValue<byte[], byte[]>> readings(int from, int to) {
        SplittableRandom random = new SplittableRandom(11);
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = 0; t < to; t++) {
            for (int k = 0; k < KEYS; k++) {
                double load = random.nextGaussian();
                double temperature = 20 + 2 * load + 0.5 * random.nextGaussian() + (t >= SHIFT_AT ? 3 : 0);
                if (t >= from) {
                    records.add(KeyValue.pair(("sensor-" + k).getBytes(StandardCharsets.UTF_8), String.format(
                            Locale.ROOT, "{\"load\":%.6f,\"temperature\":%.6f}", load, temperature)
                            .getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return records;
    }

    @Test
    void aLevelShiftInTheInputSetsTheDriftFieldOfTheForecastsAfterIt(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("drift-in", 2);
        Map<String, String> m = TestSettings.sensorApp(kafka, "drift-" + System.nanoTime(), input, stateDir);
        m.put("learner.hidden", "8");
        m.put("learner.chunk", "4");
        m.put("learner.window", "8");
        m.put("streaming.gradient.batch.samples", "0"); // one batch per learner window, as calibrated
        m.put("learner.autoregressive", "false");
        m.put("streaming.gradient.flush.ms", "200");
        StreamGruConfig c = TestSettings.config(m);
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());

        List<ConsumerRecord<byte[], byte[]>> out;
        try (StreamGruApp app = new StreamGruApp(c, metrics)) {
            app.start();
            // Paced as a live stream: the next readings only once the last ones were forecast, so the
            // model learns as the readings come (a backlog would be forecast on a model lagging behind).
            for (int from = 0; from < STEPS; from += PACE) {
                kafka.produce(input, readings(from, from + PACE));
                kafka.consume(c.output().topic(), KEYS * (from + PACE), WAIT);
            }
            out = kafka.consume(c.output().topic(), KEYS * STEPS, WAIT);
        }

        // A key's forecasts keep its readings' order (one partition per key), so the i-th is step i's.
        Map<String, Integer> step = new HashMap<>();
        int[] before = new int[KEYS];
        int[] firstAfter = {-1, -1, -1};
        List<String> falseAlarms = new ArrayList<>();
        int flagged = 0;
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode f = json.readTree(r.value());
            String series = f.get("series_id").asText();
            int t = step.merge(series, 1, Integer::sum) - 1;
            int k = series.charAt(series.length() - 1) - '0';
            assertThat(f.has("drift")).isTrue();
            if (f.get("drift").asBoolean()) {
                flagged++;
                if (t < SHIFT_AT) {
                    before[k]++;
                    falseAlarms.add(series + "@" + t);
                } else if (firstAfter[k] < 0) {
                    firstAfter[k] = t - SHIFT_AT;
                }
            }
        }
        System.out.printf(Locale.ROOT, "real broker: drift flags before the shift %s %s, first after it (records) %s%n",
                java.util.Arrays.toString(before), falseAlarms, java.util.Arrays.toString(firstAfter));
        assertThat(out).hasSize(KEYS * STEPS);
        assertThat(before[0] + before[1] + before[2]).as("drift flags before the shift, all keys").isLessThanOrEqualTo(1);
        for (int k = 0; k < KEYS; k++) {
            assertThat(firstAfter[k]).as("records from the shift to sensor-%d's first drift flag", k).isBetween(0, 300);
        }
        assertThat(metrics.driftDetections()).isEqualTo(flagged);
    }
}
