package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.dashboard.WatchedKeys;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idle keys expire ({@code learner.key.ttl}): a key without a reading for the TTL, in the stream's
 * record time, leaves the key-state store (and its changelog, as a tombstone), the key count and the
 * dashboard; a returning one starts cold, as a new key; keys still reading are not touched; the
 * sweep visits a bounded number of keys each time.
 */
class IdleKeyExpiryTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L;
    private final ObjectMapper json = new ObjectMapper();
    private final StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry(),
            new WatchedKeys(List.of(), 10, 50));
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], byte[]> forecasts;
    private TestOutputTopic<String, byte[]> changelog;
    private KeyValueStore<String, ValueAndTimestamp<byte[]>> store;

    private void start(Map<String, String> learner) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "app.id", "ttl", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.hidden", "4", "learner.chunk", "4", "learner.window", "8"));
        settings.putAll(learner);
        StreamGruConfig config = StreamGruConfig.from(Settings.of(settings, "test"));
        var fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ttl");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(StreamGruTopology.build(config, config.configHash(), 1,
                () -> new JsonRecordDecoder(fields), JsonForecastEncoder::new, metrics), props, Instant.ofEpochMilli(T0));
        ByteArraySerializer ser = new ByteArraySerializer();
        input = driver.createInputTopic("sensors", ser, ser);
        forecasts = driver.createOutputTopic(config.output().topic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        changelog = driver.createOutputTopic("ttl-" + StoreNames.KEY_STATE + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer());
        store = driver.getTimestampedKeyValueStore(StoreNames.KEY_STATE);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void read(String key, long time, int step) {
        input.pipeInput(key.getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                "{\"load\":%s,\"temperature\":%s}", Math.sin(0.3 * step), 20 + Math.cos(0.3 * step))
                .getBytes(StandardCharsets.UTF_8), time);
    }

    /** Readings of {@code keys} every 10 minutes of record time from {@code from}, {@code steps} of them. */
    private void readEvery10Minutes(long from, int steps, String... keys) {
        for (int s = 0; s < steps; s++) {
            for (String key : keys) {
                read(key, from + s * 600_000L, s);
            }
        }
    }

    /** Runs the wall-clock punctuations (the sweep runs each second). */
    private void sweep() {
        driver.advanceWallClockTime(LearnerProcessor.EXPIRY_INTERVAL);
    }

    private JsonNode lastForecastOf(String key) throws IOException {
        JsonNode last = null;
        for (TestRecord<byte[], byte[]> r : forecasts.readRecordsToList()) {
            if (new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
                last = json.readTree(r.value());
            }
        }
        return last;
    }

    @Test
    void aKeyIdleForTheTtlLeavesTheStoreWithATombstoneWhileActiveKeysAreUntouched() {
        start(Map.of("learner.key.ttl", "1h"));
        readEvery10Minutes(T0, 3, "active", "idle"); // both read until T0 + 20 min
        readEvery10Minutes(T0 + 30 * 60_000L, 3, "active"); // the stream moves on to T0 + 50 min
        sweep();
        assertThat(store.get("idle")).as("50 minutes idle: kept").isNotNull();
        changelog.readRecordsToList();

        readEvery10Minutes(T0 + 60 * 60_000L, 3, "active"); // to T0 + 80 min: "idle" read last at T0 + 20 min
        changelog.readRecordsToList();
        ValueAndTimestamp<byte[]> activeBefore = store.get("active");
        long keysBefore = metrics.keys();
        sweep();

        assertThat(store.get("idle")).as("an hour without a reading: gone").isNull();
        assertThat(metrics.keysExpired()).isEqualTo(1);
        assertThat(metrics.keys()).isEqualTo(keysBefore - 1);
        List<TestRecord<String, byte[]>> logged = changelog.readRecordsToList();
        assertThat(logged).as("the changelog deletes it too, so a restore does not bring it back; "
                + "the sweep writes nothing else").singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("idle");
                    assertThat(r.value()).isNull();
                });
        ValueAndTimestamp<byte[]> activeAfter = store.get("active");
        assertThat(activeAfter.value()).as("a key still reading keeps its state").isEqualTo(activeBefore.value());
        assertThat(activeAfter.timestamp()).as("the time of its newest reading").isEqualTo(T0 + 80 * 60_000L);
    }

    @Test
    void aKeyReturningAfterTheTtlStartsColdWhetherOrNotTheSweepDroppedIt() throws IOException {
        start(Map.of("learner.key.ttl", "1h"));
        readEvery10Minutes(T0, 6, "swept", "returning", "active");
        assertThat(lastForecastOf("returning").get("resolved_prediction").isNull())
                .as("a warm key resolves its previous forecast").isFalse();

        readEvery10Minutes(T0 + HOUR, 7, "active"); // on to T0 + 2 h
        sweep(); // drops both idle keys
        read("swept", T0 + 2 * HOUR + 1, 0);
        JsonNode swept = lastForecastOf("swept");
        assertThat(swept.get("resolved_prediction").isNull()).as("no forecast of its own is pending: cold").isTrue();
        assertThat(swept.get("lower").isNull()).as("no interval before its first resolved error: cold").isTrue();
        assertThat(metrics.keysExpired()).isEqualTo(2);

        // Back before any sweep: the returning reading finds its old state, 70 minutes stale, and drops it.
        readEvery10Minutes(T0 + 2 * HOUR + 10 * 60_000L, 7, "active");
        read("swept", T0 + 3 * HOUR + 10 * 60_000L, 1);
        assertThat(lastForecastOf("swept").get("resolved_prediction").isNull())
                .as("70 minutes idle, back before the sweep came by: cold all the same").isTrue();
        assertThat(metrics.keysExpired()).isEqualTo(3);
        assertThat(metrics.keys()).as("active, and swept back").isEqualTo(2);
    }

    @Test
    void withoutATtlKeysAreKeptForEver() {
        start(Map.of());
        readEvery10Minutes(T0, 3, "active", "idle");
        readEvery10Minutes(T0 + 1000 * HOUR, 3, "active");
        sweep();
        assertThat(store.get("idle")).isNotNull();
        assertThat(metrics.keysExpired()).isZero();
    }

    @Test
    void eachSweepVisitsABoundedNumberOfKeysAndAPassFindsEveryIdleOne() {
        start(Map.of()); // the store only: the sweep is driven by hand below
        for (int k = 0; k < 10; k++) {
            store.put(String.format(Locale.ROOT, "k%02d", k), ValueAndTimestamp.make(new byte[] {1}, T0 + k * HOUR));
        }
        List<String> expired = new ArrayList<>();
        IdleKeyExpiry expiry = new IdleKeyExpiry(store, 2 * HOUR, 3, expired::add);
        long now = T0 + 9 * HOUR; // k00 .. k07 are 2 hours or more behind
        assertThat(expiry.sweep(now)).isEqualTo(3);
        assertThat(expiry.sweep(now)).isEqualTo(3);
        assertThat(expiry.sweep(now)).isEqualTo(2); // visits k06 k07 k08 (kept)
        assertThat(expiry.sweep(now)).isZero(); // k09, the pass ends
        assertThat(expired).containsExactly("k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07");
        assertThat(store.get("k08")).isNotNull();
        assertThat(store.get("k09")).isNotNull();
        assertThat(expiry.sweep(now)).as("nothing can be idle before the cutoff reaches k08").isZero();
        assertThat(expiry.sweep(T0 + 10 * HOUR)).isEqualTo(1);
        assertThat(expired).endsWith("k08");
    }

    @Test
    void aStateWithoutATimestampIsStampedWithTheStreamTimeNotDropped() {
        start(Map.of());
        store.put("upgraded", ValueAndTimestamp.make(new byte[] {1}, -1)); // as Kafka Streams upgrades an old store
        List<String> expired = new ArrayList<>();
        IdleKeyExpiry expiry = new IdleKeyExpiry(store, HOUR, 100, expired::add);
        assertThat(expiry.sweep(T0)).isZero();
        assertThat(store.get("upgraded").timestamp()).isEqualTo(T0);
        assertThat(expiry.sweep(T0 + HOUR)).isEqualTo(1);
        assertThat(expired).containsExactly("upgraded");
    }
}
