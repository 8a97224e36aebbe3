package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StoreNames;
import io.streamgru.app.topology.StreamGruMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment whose {@code key-state} store is the plain key-value store of the releases before
 * {@code learner.key.ttl} upgrades in place on a real broker: Kafka Streams takes the store over as
 * the timestamped one StreamGRU now declares (its RocksDB store opened in upgrade mode, or restored
 * from the changelog, whose records are the same for both kinds), and the keys' states carry on:
 * the first reading after the upgrade resolves the forecast the earlier release made. The plain store is written
 * here with an earlier release's key states (src/test/resources/upgrade/release-2b040fd), under the
 * same application id and state directory.
 */
@WithKafka
class PlainKeyStateUpgradeTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String FIXTURE = "/upgrade/release-2b040fd/";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void aPlainRocksDbKeyStateStoreIsUpgradedInPlaceAndItsStatesCarryOn(KafkaTestCluster kafka) throws Exception {
        String appId = "plain-upgrade-" + System.nanoTime();
        String input = kafka.newTopic("plain-upgrade-in", 1);
        String seed = kafka.newTopic("plain-upgrade-seed", 1);
        Map<String, String> settings = TestSettings.sensorApp(kafka, appId, input, stateDir);
        settings.put("learner.hidden", "8");
        settings.put("learner.chunk", "4");
        settings.put("learner.window", "8");
        settings.put("learner.lr", "0.01");
        // The earlier release published the model's own forecast: so does this one, to compare them.
        settings.put("learner.combine", "off");
        StreamGruConfig config = TestSettings.config(settings);

        // 1. The earlier layout: a plain persistent key-value store named key-state, in task 0_0.
        List<KeyValue<byte[], byte[]>> states = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            states.add(KeyValue.pair(("sensor-" + k).getBytes(StandardCharsets.UTF_8), bytes("sensor-" + k + ".state")));
        }
        kafka.produce(seed, states);
        Topology plain = new Topology();
        plain.addSource("seed", new ByteArrayDeserializer(), new ByteArrayDeserializer(), seed);
        plain.addProcessor("writer", StateWriter::new, "seed");
        plain.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.KEY_STATE),
                Serdes.String(), Serdes.ByteArray()), "writer");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        try (KafkaStreams earlier = new KafkaStreams(plain, p)) {
            earlier.start();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                try {
                    if (earlier.store(StoreQueryParameters.fromNameAndType(StoreNames.KEY_STATE,
                            QueryableStoreTypes.<String, byte[]>keyValueStore())).approximateNumEntries() >= 3) {
                        break;
                    }
                } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                    // not running yet
                }
                assertThat(System.nanoTime()).as("the plain store holds the states").isLessThan(deadline);
                Thread.sleep(100);
            }
            Thread.sleep(500); // a commit, so the store is checkpointed as the earlier release's would be
        }
        assertThat(stateDir.resolve(appId).resolve("0_0").resolve("rocksdb").resolve(StoreNames.KEY_STATE))
                .as("the earlier release's RocksDB store, where this release's task opens its own").isDirectory();

        // 2. This release on the same state directory: the step-300 readings resolve the earlier forecasts.
        int t = 300;
        List<KeyValue<byte[], byte[]>> readings = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            readings.add(KeyValue.pair(("sensor-" + k).getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                    "{\"load\":%s,\"temperature\":%s}", Math.sin(0.2 * t + k), 20 + 3 * Math.sin(0.2 * (t - 1) + k))
                    .getBytes(StandardCharsets.UTF_8)));
        }
        kafka.produce(input, readings);
        Map<String, JsonNode> earlierForecasts = new HashMap<>();
        for (String line : new String(bytes("forecasts-of-step-300.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            JsonNode f = json.readTree(line);
            earlierForecasts.put(f.get("series_id").asText(), f);
        }
        try (StreamGruApp app = new StreamGruApp(config, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            List<ConsumerRecord<byte[], byte[]>> forecasts = kafka.consume(config.output().topic(), 3, WAIT);
            assertThat(forecasts).hasSize(3);
            for (ConsumerRecord<byte[], byte[]> r : forecasts) {
                JsonNode now = json.readTree(r.value());
                JsonNode before = earlierForecasts.get(now.get("series_id").asText());
                assertThat(now.get("resolved_prediction").isNumber()).as("the key's state carried on").isTrue();
                assertThat(now.get("resolved_prediction").asDouble())
                        .isEqualTo(before.get("resolved_prediction").asDouble());
            }
        }
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = PlainKeyStateUpgradeTest.class.getResourceAsStream(FIXTURE + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** Stores each seed record's value under its key, as the earlier learner stored a key's state. */
    private static final class StateWriter implements Processor<byte[], byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(StoreNames.KEY_STATE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            store.put(new String(record.key(), StandardCharsets.UTF_8), record.value());
        }
    }
}
