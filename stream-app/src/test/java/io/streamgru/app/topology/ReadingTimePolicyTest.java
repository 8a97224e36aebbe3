package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readings that carry their own event time: duplicates and late readings never enter the model. */
class ReadingTimePolicyTest {

    private final ObjectMapper json = new ObjectMapper();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], byte[]> forecasts;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void start(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("app.id", "time",
                "kafka.bootstrap.servers", "unused:9092", "input.topics", "sensors", "input.target", "temperature",
                "learner.hidden", "4", "learner.chunk", "4", "learner.window", "8"));
        settings.putAll(extra);
        StreamGruConfig config = StreamGruConfig.from(Settings.of(settings, "test"));
        String hash = config.configHash();
        var fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "time");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(StreamGruTopology.build(config, hash, 1, () -> new JsonRecordDecoder(fields),
                JsonForecastEncoder::new, new StreamGruMetrics(new SimpleMeterRegistry())), props);
        ByteArraySerializer ser = new ByteArraySerializer();
        input = driver.createInputTopic("sensors", ser, ser);
        forecasts = driver.createOutputTopic(config.output().topic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(config.deadLetterTopic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(String key, long ts, double temperature) {
        input.pipeInput(key.getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                "{\"ts\":%d,\"temperature\":%s}", ts, temperature).getBytes(StandardCharsets.UTF_8), 1000L);
    }

    private List<Long> forecastTimes() throws IOException {
        List<Long> times = new ArrayList<>();
        for (var r : forecasts.readRecordsToList()) {
            times.add(json.readTree(r.value()).get("event_time").asLong());
        }
        return times;
    }

    private List<String> deadLetterReasons() {
        List<String> reasons = new ArrayList<>();
        for (var r : deadLetters.readRecordsToList()) {
            reasons.add(new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
        }
        return reasons;
    }

    @Test
    void aDuplicateAndALateReadingAreDeadLetteredAndTheSeriesGoesOn() throws IOException {
        start(Map.of("input.time", "ts"));
        send("a", 1000, 20.0);
        send("a", 2000, 21.0);
        send("a", 2000, 21.0); // the same reading again
        send("a", 1500, 19.0); // arrives after a newer one
        send("b", 1500, 5.0); // another key has its own time
        send("a", 3000, 22.0);

        assertThat(forecastTimes()).containsExactly(1000L, 2000L, 1500L, 3000L);
        assertThat(deadLetterReasons()).containsExactly("DUPLICATE", "LATE");
    }

    @Test
    void withoutATimeFieldRecordsOfTheSameTimestampAreAllLearnedFrom() throws IOException {
        start(Map.of());
        for (int i = 0; i < 5; i++) {
            send("a", 0, 20.0 + i); // all with the record timestamp 1000
        }
        assertThat(forecastTimes()).hasSize(5);
        assertThat(deadLetterReasons()).isEmpty();
    }
}
