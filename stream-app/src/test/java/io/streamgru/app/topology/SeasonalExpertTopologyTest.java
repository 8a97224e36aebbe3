package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code learner.season} in the streaming topology: on hourly readings with a daily cycle the
 * forecast records name {@code seasonal_naive} as their dominant expert once a key has a season of
 * history, the meters count it, and the key states (format 9) carry that history. The season is
 * not part of the config hash: it changes what is published, not what the model's numbers mean.
 */
class SeasonalExpertTopologyTest {

    private static Map<String, String> settings(String... more) {
        Map<String, String> m = new HashMap<>(Map.of(
                "app.id", "seasonal", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void forecastsNameSeasonalNaiveWhereItDominatesAndKeyStatesCarryItsHistory() throws IOException {
        StreamGruConfig config = StreamGruConfig.from(Settings.of(settings("learner.season", "24"), "test"));
        assertThat(config.learner().season()).isEqualTo(24);
        assertThat(config.configHash()).isEqualTo(StreamGruConfig.from(Settings.of(settings(), "test")).configHash());
        var fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "seasonal");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamGruTopology.build(config, config.configHash(), 1,
                () -> new JsonRecordDecoder(fields), JsonForecastEncoder::new, metrics), props)) {
            ByteArraySerializer ser = new ByteArraySerializer();
            var input = driver.createInputTopic("sensors", ser, ser);
            var forecasts = driver.createOutputTopic(config.output().topic(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            Random noise = new Random(7);
            int hours = 24 * 40;
            for (int t = 0; t < hours; t++) {
                for (int k = 0; k < 2; k++) {
                    int hour = (t + 5 * k) % 24;
                    double temperature = 20 + (hour >= 8 && hour < 12 ? 3 : 0) + 0.1 * noise.nextGaussian();
                    input.pipeInput(("sensor-" + k).getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                            "{\"load\":%s,\"temperature\":%s}", noise.nextGaussian(), temperature)
                            .getBytes(StandardCharsets.UTF_8));
                }
            }

            List<TestRecord<byte[], byte[]>> out = forecasts.readRecordsToList();
            ObjectMapper json = new ObjectMapper();
            int seasonalInLastHalf = 0;
            for (TestRecord<byte[], byte[]> r : out.subList(out.size() / 2, out.size())) {
                JsonNode f = json.readTree(r.value());
                seasonalInLastHalf += "seasonal_naive".equals(f.get("expert").asText()) ? 1 : 0;
            }
            assertThat(seasonalInLastHalf).as("of %d forecasts", out.size() / 2).isGreaterThan(out.size() * 4 / 10);
            assertThat(metrics.forecastsDominatedBy("seasonal_naive")).isGreaterThanOrEqualTo(seasonalInLastHalf);

            KeyValueStore<String, byte[]> states = driver.getKeyValueStore(StoreNames.KEY_STATE);
            assertThat(states.get("sensor-0")[0]).as("key-state format").isEqualTo((byte) 9);
        }
    }
}
