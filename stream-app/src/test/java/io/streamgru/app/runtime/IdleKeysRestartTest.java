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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle keys expire on a real broker ({@code learner.key.ttl}): the sweep deletes them through the
 * store, so the key-state changelog holds their tombstones, and an instance that restores the store
 * from the changelog (a fresh state directory) holds only the live keys, with the time of their
 * newest reading; an expired key that returns starts cold, a live one continues.
 */
@WithKafka
class IdleKeysRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MINUTE = 60_000L;
    /** Record times three hours back: recent enough for the broker's retention. */
    private static final long T0 = (System.currentTimeMillis() / MINUTE - 180) * MINUTE;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

    private StreamGruConfig config(KafkaTestCluster kafka, String appId, String input, String instance) {
        Map<String, String> m = TestSettings.sensorApp(kafka, appId, input, stateDir.resolve(instance));
        m.put("learner.hidden", "4");
        m.put("learner.chunk", "4");
        m.put("learner.window", "8");
        m.put("learner.key.ttl", "1h");
        m.put("streaming.gradient.flush.ms", "500");
        return TestSettings.config(m);
    }

    /** One reading of each key at {@code minute} minutes after T0 (record time). */
    private static void read(KafkaTestCluster kafka, String input, int minute, String... keys) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(),
                new StringSerializer())) {
            for (String key : keys) {
                producer.send(new ProducerRecord<>(input, null, T0 + minute * MINUTE, key, String.format(Locale.ROOT,
                        "{\"load\":%.4f,\"temperature\":%.4f}", Math.sin(0.1 * minute), 20 + Math.cos(0.1 * minute))));
            }
        }
    }

    private static final String[] IDLE = {"idle-0", "idle-1", "idle-2"};
    private static final String[] LIVE = {"live-0", "live-1", "live-2"};

    @Test
    void aRestoreBringsBackOnlyTheLiveKeysAndAnExpiredKeyReturnsCold(KafkaTestCluster kafka) throws Exception {
        // One partition: stream time is a task's, and a task whose keys all went idle would get no further.
        String input = kafka.newTopic("ttl-restart", 1);
        String appId = "ttl-restart-" + System.nanoTime();
        int records = 0;
        for (int minute = 0; minute <= 20; minute += 10) {
            read(kafka, input, minute, IDLE);
            read(kafka, input, minute, LIVE);
            records += 6;
        }
        for (int minute = 30; minute <= 90; minute += 10) { // the idle keys' last reading is 70 minutes behind
            read(kafka, input, minute, LIVE);
            records += 3;
        }

        StreamGruConfig before = config(kafka, appId, input, "before");
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        try (StreamGruApp app = new StreamGruApp(before, metrics)) {
            app.start();
            kafka.consume(before.output().topic(), records, WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (metrics.keysExpired() < IDLE.length && System.nanoTime() < deadline) {
                Thread.sleep(100); // the sweep runs each second
            }
            assertThat(metrics.keysExpired()).isEqualTo(IDLE.length);
            assertThat(storeContents(app)).containsOnlyKeys(LIVE);
        }

        Map<String, byte[]> logged = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(appId + "-" + StoreNames.KEY_STATE
                + "-changelog", Duration.ofSeconds(2))) {
            logged.put(new String(r.key(), StandardCharsets.UTF_8), r.value()); // the newest per key, as compaction keeps
        }
        assertThat(logged).containsOnlyKeys(concat(IDLE, LIVE));
        for (String key : IDLE) {
            assertThat(logged.get(key)).as(key + "'s last changelog record is a tombstone").isNull();
        }
        for (String key : LIVE) {
            assertThat(logged.get(key)).as(key).isNotNull();
        }

        // A new instance restores the store from the changelog (a fresh state directory).
        StreamGruConfig after = config(kafka, appId, input, "after");
        StreamGruMetrics restoredMetrics = new StreamGruMetrics(new SimpleMeterRegistry());
        try (StreamGruApp app = new StreamGruApp(after, restoredMetrics)) {
            app.start();
            Map<String, ValueAndTimestamp<byte[]>> restored = storeContents(app);
            assertThat(restored).as("only the live keys come back").containsOnlyKeys(LIVE);
            assertThat(restoredMetrics.keys()).as("the keys gauge counts them, not the changelog's writes")
                    .isEqualTo(LIVE.length);
            for (String key : LIVE) {
                assertThat(restored.get(key).timestamp()).as("the time of " + key + "'s newest reading")
                        .isEqualTo(T0 + 90 * MINUTE);
            }

            read(kafka, input, 95, "idle-0", "live-0");
            List<JsonNode> forecasts = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : kafka.consume(after.output().topic(), records + 2, WAIT)) {
                forecasts.add(json.readTree(r.value()));
            }
            JsonNode idle = lastOf(forecasts, "idle-0");
            JsonNode live = lastOf(forecasts, "live-0");
            assertThat(idle.get("resolved_prediction").isNull()).as("the expired key starts cold").isTrue();
            assertThat(live.get("resolved_prediction").isNumber()).as("the live key continues").isTrue();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static JsonNode lastOf(List<JsonNode> forecasts, String key) {
        JsonNode last = null;
        for (JsonNode f : forecasts) {
            if (f.get("series_id").asText().equals(key)) {
                last = f;
            }
        }
        assertThat(last).as("a forecast of " + key).isNotNull();
        return last;
    }

    /** Every entry of the instance's key-state store (interactive query), once its tasks run. */
    private static Map<String, ValueAndTimestamp<byte[]>> storeContents(StreamGruApp app) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                ReadOnlyKeyValueStore<String, ValueAndTimestamp<byte[]>> store = app.streams().store(
                        StoreQueryParameters.fromNameAndType(StoreNames.KEY_STATE,
                                QueryableStoreTypes.<String, byte[]>timestampedKeyValueStore()));
                Map<String, ValueAndTimestamp<byte[]>> contents = new TreeMap<>();
                store.all().forEachRemaining(kv -> contents.put(kv.key, kv.value));
                return contents;
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                if (System.nanoTime() > deadline || app.streams().state() == KafkaStreams.State.ERROR) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
