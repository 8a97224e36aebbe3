package io.streamgru.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.TopicReader;
import io.streamgru.app.testing.TopicWriter;
import io.streamgru.app.testing.audit.AuditResult;
import io.streamgru.app.testing.audit.ForecastAudit;
import io.streamgru.app.testing.audit.ModelWatch;
import io.streamgru.app.testing.audit.Reading;
import io.streamgru.app.testing.audit.SensorStream;
import io.streamgru.app.testing.processes.KafkaProcessCluster;
import io.streamgru.app.testing.processes.StreamGruProcess;
import io.streamgru.app.topology.DeadLetters;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite (issue 9, item 10): {@code streamgru run} as its own process against Kafka
 * brokers as their own processes, with faults injected while a stream of keyed readings flows,
 * and an audit from the outside ({@code read_committed}) that nothing was lost, duplicated,
 * reordered or made non-finite, that the model's versions are gap-free, and that the model
 * advances after every fault.
 *
 * <p>CI runs the short version; {@code -Dfaults=full} the full one (see docs/RELIABILITY.md).
 * Each scenario appends its row to {@code target/fault-suite.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultSuiteTest {

    private static final Duration ADVANCE_TIMEOUT = Duration.ofSeconds(120);
    /** The audit gives up waiting for missing forecasts when none has arrived for this long. */
    private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(45);
    private static final Path RESULTS = Path.of("target", "fault-suite.md");

    private final FaultSuiteMode mode = FaultSuiteMode.current();

    @TempDir
    Path dir;

    /** One broker process, shared by the single-node scenarios (the broker scenario restarts it). */
    private KafkaProcessCluster single;

    @BeforeAll
    void startBroker(@TempDir Path brokerDir) throws IOException {
        Files.createDirectories(RESULTS.getParent());
        Files.writeString(RESULTS, String.format(Locale.ROOT, "Fault suite (%s), %s%n%n"
                + "| scenario | records | lost | duplicate | reordered | non-finite | versions gap-free (n) | time |%n"
                + "|---|---:|---:|---:|---:|---:|---|---:|%n", mode.name(), Instant.now()));
        single = KafkaProcessCluster.start(1, brokerDir);
    }

    @AfterAll
    void stopBroker() {
        if (single != null) {
            single.close();
        }
    }

    @Test
    void appKilledRepeatedlyMidStreamOnceLosingItsStateDirectory() throws Exception {
        long start = System.nanoTime();
        String input = "kills-in";
        single.createTopic(input, FaultSuiteMode.PARTITIONS, Map.of());
        int perKey = mode.name().equals("full") ? 2 * mode.readingsPerKey() : mode.readingsPerKey();
        try (StreamGruProcess app = app(single, "kills", input, Map.of());
             SensorStream stream = new SensorStream(single.bootstrapServers(), input, FaultSuiteMode.KEYS, perKey,
                     FaultSuiteMode.RATE);
             ModelWatch model = new ModelWatch(single.bootstrapServers(), "kills-model")) {
            app.start();
            for (int kill = 1; kill <= mode.appKills(); kill++) {
                stream.awaitWritten(stream.total() * kill / (mode.appKills() + 1), Duration.ofMinutes(5));
                long before = model.latest();
                awaitAdvance(model, before, app, "before kill " + kill); // it is working when it is killed
                long atKill = model.latest();
                app.kill();
                if (kill == 1) {
                    app.deleteStateDirectory(); // everything comes back from the changelogs
                }
                app.start();
                awaitAdvance(model, atKill, app, "app kill " + kill);
            }
            List<Reading> readings = stream.awaitAll(Duration.ofMinutes(10));
            AuditResult result = ForecastAudit.await(single.bootstrapServers(), "kills-forecasts", readings, model,
                    AUDIT_TIMEOUT);
            report(String.format(Locale.ROOT, "app kill -9 ×%d (1st also deletes its state dir)", mode.appKills()),
                    result, start);
            result.assertClean("app kills");
        }
    }

    @Test
    void brokerKilledAndRestarted() throws Exception {
        long start = System.nanoTime();
        String input = "broker-in";
        single.createTopic(input, FaultSuiteMode.PARTITIONS, Map.of());
        try (StreamGruProcess app = app(single, "broker", input, Map.of());
             SensorStream stream = new SensorStream(single.bootstrapServers(), input, FaultSuiteMode.KEYS,
                     mode.readingsPerKey(), FaultSuiteMode.RATE);
             ModelWatch model = new ModelWatch(single.bootstrapServers(), "broker-model")) {
            app.start();
            stream.awaitWritten(stream.total() / 3, Duration.ofMinutes(5));
            awaitAdvance(model, 0, app, "start");
            long atKill = model.latest();
            single.kill(1);
            long down = Long.getLong("faults.brokerDownMs", 2_000);
            System.out.println("broker down for " + down + " ms before its restart");
            Thread.sleep(down);
            long restart = System.nanoTime();
            single.restart(1);
            System.out.printf(Locale.ROOT, "broker restarted in %.1f s%n", (System.nanoTime() - restart) / 1e9);
            awaitAdvance(model, atKill, app, "broker restart");
            List<Reading> readings = stream.awaitAll(Duration.ofMinutes(10));
            AuditResult result = ForecastAudit.await(single.bootstrapServers(), "broker-forecasts", readings, model,
                    AUDIT_TIMEOUT);
            report("broker kill -9 and restart (single node)", result, start);
            if (!result.clean()) {
                System.out.println("APPLOG-BEGIN\n" + app.logTail(400) + "\nAPPLOG-END");
            }
            result.assertClean("broker kill");
            assertThat(app.isAlive()).as("the app survived its broker's restart; its log:\n%s", app.logTail(40))
                    .isTrue();
        }
    }

    @Test
    void activeControllerKilledInAThreeNodeCluster(@TempDir Path clusterDir) throws Exception {
        long start = System.nanoTime();
        try (KafkaProcessCluster cluster = KafkaProcessCluster.start(3, clusterDir)) {
            String input = "quorum-in";
            cluster.createTopic(input, FaultSuiteMode.PARTITIONS, Map.of());
            try (StreamGruProcess app = app(cluster, "quorum", input, Map.of());
                 SensorStream stream = new SensorStream(cluster.bootstrapServers(), input, FaultSuiteMode.KEYS,
                         mode.readingsPerKey(), FaultSuiteMode.RATE);
                 ModelWatch model = new ModelWatch(cluster.bootstrapServers(), "quorum-model")) {
                app.start();
                stream.awaitWritten(stream.total() / 3, Duration.ofMinutes(5));
                awaitAdvance(model, 0, app, "start");
                int controller = cluster.activeController();
                long atKill = model.latest();
                cluster.kill(controller);
                // The two others elect a new controller and carry on: the app keeps going meanwhile.
                awaitAdvance(model, atKill, app, "controller kill");
                int successor = cluster.activeController();
                assertThat(successor).as("the new active controller").isNotEqualTo(controller);
                cluster.restart(controller);
                cluster.awaitFullyReplicated(input); // the node caught up: it rejoined, not just started
                List<Reading> readings = stream.awaitAll(Duration.ofMinutes(10));
                AuditResult result = ForecastAudit.await(cluster.bootstrapServers(), "quorum-forecasts", readings,
                        model, AUDIT_TIMEOUT);
                report("3 nodes: active controller kill -9, then restart", result, start);
                result.assertClean("controller kill");
                assertThat(app.isAlive()).as("the app kept running; its log:\n%s", app.logTail(40)).isTrue();
            }
        }
    }

    /**
     * 20 readings of a new key with target 1e300 and a 1.5 MB garbage record: both go to the
     * dead-letter topic with their reasons, the model keeps advancing at ≥ 70 % of its rate before,
     * no stream thread is replaced, and SIGTERM still ends the app with exit code 0.
     */
    @Test
    void poisonRecordsOnARealBroker() throws Exception {
        long start = System.nanoTime();
        String input = "poison-in";
        // The input accepts the 1.5 MB record, as a user's topic may; the app must cope with it.
        single.createTopic(input, FaultSuiteMode.PARTITIONS, Map.of("max.message.bytes", Integer.toString(2 << 20)));
        Duration window = mode.poisonWindow();
        Duration warmUp = Duration.ofSeconds(8);
        // Long enough to flow through the warm-up and both measuring windows.
        int perKey = (int) Math.max(mode.readingsPerKey(),
                (warmUp.toSeconds() + 2 * window.toSeconds() + 10) * FaultSuiteMode.RATE / FaultSuiteMode.KEYS);
        try (StreamGruProcess app = app(single, "poison", input, Map.of());
             SensorStream stream = new SensorStream(single.bootstrapServers(), input, FaultSuiteMode.KEYS, perKey,
                     FaultSuiteMode.RATE);
             ModelWatch model = new ModelWatch(single.bootstrapServers(), "poison-model")) {
            app.start();
            awaitAdvance(model, 0, app, "start");
            Thread.sleep(warmUp.toMillis());
            long before = System.nanoTime();
            Thread.sleep(window.toMillis());
            long poisoned = System.nanoTime();
            long atPoison = model.latest();
            List<KeyValue<byte[], byte[]>> poison = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                poison.add(KeyValue.pair(bytes("poison-1e300"), bytes(String.format(Locale.ROOT,
                        "{\"load\":0.5,\"temperature\":1e300,\"seq\":%d,\"ts\":%d}", i,
                        SensorStream.FIRST_EVENT_TIME + i * SensorStream.STEP_MILLIS))));
            }
            byte[] garbage = new byte[1_500_000];
            new Random(9).nextBytes(garbage);
            poison.add(KeyValue.pair(bytes("garbage"), garbage));
            new TopicWriter(single.bootstrapServers()).write(input, new ByteArraySerializer(),
                    new ByteArraySerializer(), poison);
            Thread.sleep(window.toMillis());
            long after = System.nanoTime();
            double rateBefore = model.rate(before, poisoned);
            double rateAfter = model.rate(poisoned, after);
            System.out.printf(Locale.ROOT, "poison: model versions %.2f/s in the %d s before, %.2f/s in the %d s after"
                    + " (v%d at the poison, v%d at the end)%n", rateBefore, window.toSeconds(), rateAfter,
                    window.toSeconds(), atPoison, model.latest());

            stream.close(); // the rest of the stream adds nothing to this scenario
            List<Reading> readings = stream.written();
            AuditResult result = ForecastAudit.await(single.bootstrapServers(), "poison-forecasts", readings, model,
                    AUDIT_TIMEOUT);
            Map<String, List<String>> reasons = deadLetterReasons("poison-dlq");
            OptionalInt exit = app.terminate(60);
            report(String.format(Locale.ROOT, "poison: 20 × 1e300 target, one 1.5 MB garbage record (versions/s "
                    + "%.1f before, %.1f after)", rateBefore, rateAfter), result, start);

            // Every expectation, not just the first that fails: each depends on a different fix.
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(result.clean()).as("audit: %s", result).isTrue();
            soft.assertThat(reasons.getOrDefault("poison-1e300", List.of())).as("dead letters of the 1e300 key")
                    .hasSize(20).containsOnly("OUT_OF_RANGE");
            soft.assertThat(reasons.getOrDefault("garbage", List.of())).as("dead letters of the garbage record")
                    .containsExactly("CORRUPT");
            soft.assertThat(rateAfter).as("model versions per second after the poison vs %.2f before", rateBefore)
                    .isGreaterThanOrEqualTo(0.7 * rateBefore);
            soft.assertThat(app.log()).as("no stream thread replaced").doesNotContain("stream thread failed");
            soft.assertThat(exit).as("exit code after SIGTERM; log:\n%s", app.logTail(40)).hasValue(0);
            soft.assertAll();
        }
    }

    /**
     * The registry refuses the app's credentials (401) after a restart mid-stream: nothing is
     * dead-lettered and no offset is committed past an undecoded record, so once the credentials
     * are fixed and it is restarted again, every reading gets its forecast.
     */
    @Test
    void wrongRegistryCredentialsLoseNothing() throws Exception {
        long start = System.nanoTime();
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"Reading","namespace":"io.streamgru.faults","fields":[
                  {"name":"load","type":"double"},{"name":"temperature","type":"double"},
                  {"name":"seq","type":"long"},{"name":"ts","type":"long"}]}""");
        try (LocalSchemaRegistryServer registry = LocalSchemaRegistryServer.builder().basicAuth("sr", "s3cret").start();
             SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.from(Map.of(
                     RegistryClientConfig.URL, registry.url(), RegistryClientConfig.CREDENTIALS_SOURCE, "USER_INFO",
                     RegistryClientConfig.USER_INFO, "sr:s3cret")))) {
            String input = "registry-in";
            single.createTopic(input, FaultSuiteMode.PARTITIONS, Map.of());
            ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(client,
                    Map.of(RegistryClientConfig.URL, registry.url()), false);
            SensorStream.ValueEncoder avro = (key, step, load, temperature, eventTime) -> {
                GenericRecord r = new GenericData.Record(schema);
                r.put("load", load);
                r.put("temperature", temperature);
                r.put("seq", step);
                r.put("ts", eventTime);
                return serializer.serialize(input, r);
            };
            Map<String, String> avroInput = Map.of("input.format", "avro", "output.format", "json",
                    "schema.registry.url", registry.url(),
                    "schema.registry.basic.auth.credentials.source", "USER_INFO",
                    "schema.registry.basic.auth.user.info", "sr:s3cret");
            try (StreamGruProcess app = app(single, "registry", input, avroInput);
                 SensorStream stream = new SensorStream(single.bootstrapServers(), input, FaultSuiteMode.KEYS,
                         mode.readingsPerKey(), FaultSuiteMode.RATE, avro);
                 ModelWatch model = new ModelWatch(single.bootstrapServers(), "registry-model")) {
                app.start();
                stream.awaitWritten(stream.total() / 4, Duration.ofMinutes(5));
                awaitAdvance(model, 0, app, "start");
                app.kill();
                app.set("schema.registry.basic.auth.user.info", "sr:wrong");
                app.start();
                Thread.sleep(Math.min(15_000, mode.poisonWindow().toMillis()));
                if (app.isAlive()) {
                    app.terminate(60);
                }
                Map<String, List<String>> deadWhileRefused = deadLetterReasons("registry-dlq");
                long atFix = model.latest();
                app.set("schema.registry.basic.auth.user.info", "sr:s3cret");
                app.start();
                awaitAdvance(model, atFix, app, "credentials fixed");
                List<Reading> readings = stream.awaitAll(Duration.ofMinutes(10));
                AuditResult result = ForecastAudit.await(single.bootstrapServers(), "registry-forecasts", readings,
                        model, AUDIT_TIMEOUT);
                report("registry 401 (wrong password after a restart), then fixed", result, start);
                SoftAssertions soft = new SoftAssertions();
                Map<String, Long> refusedReasons = new TreeMap<>();
                deadWhileRefused.values().forEach(list -> list.forEach(r -> refusedReasons.merge(r, 1L, Long::sum)));
                soft.assertThat(refusedReasons).as("dead letters (count by reason) while the registry refused the app")
                        .isEmpty();
                soft.assertThat(result.clean()).as("audit: %s", result).isTrue();
                soft.assertAll();
            }
        }
    }

    /** The app under test, on {@code kafka}, reading {@code input}: JSON readings, event time from {@code ts}. */
    private StreamGruProcess app(KafkaProcessCluster kafka, String appId, String input, Map<String, String> extra) {
        Map<String, String> settings = SensorStream.appSettings(appId, kafka.bootstrapServers(), input);
        settings.put("streaming.replication.factor", Integer.toString(kafka.replicationFactor()));
        // A killed instance leaves its consumer groups after 6 s (the broker's minimum), not 45 s.
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1500");
        settings.putAll(extra);
        if (System.getProperty("faults.txnTimeoutMs") != null) {
            settings.put("kafka.transaction.timeout.ms", System.getProperty("faults.txnTimeoutMs"));
        }
        return new StreamGruProcess(appId, dir.resolve(appId), settings);
    }

    private static void awaitAdvance(ModelWatch model, long version, StreamGruProcess app, String after)
            throws InterruptedException {
        try {
            Duration took = model.awaitAbove(version, ADVANCE_TIMEOUT);
            System.out.printf(Locale.ROOT, "%s: model advanced beyond v%d after %.1f s%n", after, version,
                    took.toMillis() / 1000.0);
        } catch (AssertionError e) {
            throw new AssertionError("after " + after + ": " + e.getMessage() + "; the app's log:\n"
                    + app.logTail(60), e);
        }
    }

    /** Reason header of every dead letter, by record key. */
    private Map<String, List<String>> deadLetterReasons(String topic) {
        Map<String, List<String>> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : new TopicReader(single.bootstrapServers()).readUntilIdle(topic,
                Duration.ofSeconds(2), Duration.ofSeconds(60), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Header reason = r.headers().lastHeader(DeadLetters.REASON);
            reasons.computeIfAbsent(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8),
                    k -> new ArrayList<>()).add(reason == null ? "(no reason)"
                    : new String(reason.value(), StandardCharsets.UTF_8));
        }
        return reasons;
    }

    private void report(String scenario, AuditResult result, long startNanos) throws IOException {
        String row = result.tableRow(scenario + " [" + mode.name() + "]", (System.nanoTime() - startNanos) / 1e9);
        System.out.println(row);
        if (!result.problems().isEmpty()) {
            System.out.println("  problems: " + result.problems());
        }
        Files.writeString(RESULTS, row + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
