package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.gru.TensorView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The linear path trains in the streaming topology as in {@code evaluate}: its weight travels in
 * the learners' gradient batches, the optimizer's step moves it from zero, every published version
 * carries it, and the key states (format 6) hold its window.
 */
class LinearPathTopologyTest {

    @Test
    void theLinearPathIsTrainedByTheOptimizerAndPublishedWithTheModel() {
        StreamGruConfig config = StreamGruConfig.from(Settings.of(Map.of(
                "app.id", "linear", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8", "learner.linear.lags", "4"),
                "test"));
        assertThat(config.configHash()).as("the path changes what the numbers mean")
                .isNotEqualTo(StreamGruConfig.from(Settings.of(Map.of(
                        "app.id", "linear", "kafka.bootstrap.servers", "unused:9092",
                        "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                        "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8"), "test")).configHash());
        var fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "linear");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamGruTopology.build(config, config.configHash(), 1,
                () -> new JsonRecordDecoder(fields), JsonForecastEncoder::new,
                new StreamGruMetrics(new SimpleMeterRegistry())), props)) {
            ByteArraySerializer ser = new ByteArraySerializer();
            var input = driver.createInputTopic("sensors", ser, ser);
            var models = driver.createOutputTopic(config.modelTopic(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            for (int t = 0; t < 200; t++) {
                for (int k = 0; k < 3; k++) {
                    input.pipeInput(("sensor-" + k).getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                            "{\"load\":%s,\"temperature\":%s}", Math.sin(0.2 * t + k),
                            20 + 3 * Math.sin(0.2 * (t - 1) + k)).getBytes(StandardCharsets.UTF_8));
                }
            }

            List<TestRecord<byte[], byte[]>> published = models.readRecordsToList();
            assertThat(published).isNotEmpty();
            ModelVersion last = ModelVersionCodec.decode(published.get(published.size() - 1).value());
            ParameterLayout layout = new ParameterLayout(config.learner().gruConfig());
            TensorView highway = layout.tensor(ParameterLayout.LINEAR_WEIGHT);
            assertThat(highway.size()).isEqualTo(1 + 2 + 3); // the load, last target and change, 3 earlier changes
            assertThat(last.parameters()).hasSize(layout.size());
            double moved = 0;
            for (int i = 0; i < highway.size(); i++) {
                moved += Math.abs(last.parameters()[highway.offset() + i]);
            }
            assertThat(moved).as("the optimizer moved highway.weight from its zero start").isPositive();

            KeyValueStore<String, byte[]> states = driver.getKeyValueStore(StoreNames.KEY_STATE);
            assertThat(states.get("sensor-0")[0]).as("key-state format").isEqualTo((byte) 8);
        }
    }
}
