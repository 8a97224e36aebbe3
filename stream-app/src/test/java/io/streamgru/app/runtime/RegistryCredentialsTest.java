package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.memory.InMemorySchemaRegistry;
import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials the Schema Registry refuses are not bad records: at startup the application stops
 * with one line before reading anything; when they are revoked mid-run it stops before committing
 * past the first record it cannot decode, and dead-letters nothing. Restarted with the right
 * credentials, it forecasts every record exactly once. A registry that goes down mid-run stops it
 * the same way, after the registry client's retries.
 */
@WithKafka
class RegistryCredentialsTest {

    private static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Reading","namespace":"com.example","fields":[
              {"name":"device","type":"string"},
              {"name":"load","type":"double"},
              {"name":"power","type":"double"}]}""");
    /** The same readings with one more optional field: a new schema id the learner has not cached. */
    private static final Schema V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Reading","namespace":"com.example","fields":[
              {"name":"device","type":"string"},
              {"name":"load","type":"double"},
              {"name":"power","type":"double"},
              {"name":"note","type":["null","string"],"default":null}]}""");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    private StreamGruConfig config(KafkaTestCluster kafka, String appId, String input, String url, String userInfo) {
        Map<String, String> m = new HashMap<>();
        m.put("app.id", appId);
        m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        m.put("kafka.state.dir", stateDir.toString());
        m.put("kafka.commit.interval.ms", "100");
        m.put("schema.registry.url", url);
        m.put("schema.registry.basic.auth.credentials.source", "USER_INFO");
        m.put("schema.registry.basic.auth.user.info", userInfo);
        m.put("input.topics", input);
        m.put("input.format", "avro");
        m.put("input.key", "device");
        m.put("input.features", "load");
        m.put("input.target", "power");
        m.put("output.format", "json");
        m.put("learner.hidden", "8");
        m.put("learner.chunk", "8");
        return StreamGruConfig.from(Settings.of(m, "test"));
    }

    /** 2 devices × {@code steps} readings written with {@code schema}, registered straight in the registry's store. */
    private static List<KeyValue<byte[], byte[]>> readings(InMemorySchemaRegistry store, String topic, Schema schema,
                                                           int fromStep, int toStep) {
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(new MockSchemaRegistryClient(store),
                Map.of(RegistryClientConfig.URL, "http://unused"), false);
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = fromStep; t < toStep; t++) {
            for (int d = 0; d < 2; d++) {
                GenericRecord r = new GenericData.Record(schema);
                r.put("device", "pump-" + d);
                r.put("load", Math.sin(0.2 * t + d));
                r.put("power", 5 + Math.sin(0.2 * (t - 1) + d));
                records.add(KeyValue.pair(null, serializer.serialize(topic, r)));
            }
        }
        return records;
    }

    @Test
    void refusedCredentialsAtStartupStopWithOneLineBeforeAnythingIsReadOrCommitted(KafkaTestCluster kafka)
            throws Exception {
        try (LocalSchemaRegistryServer registry = LocalSchemaRegistryServer.builder().port(0)
                .basicAuth("streamgru", "right").start()) {
            String input = kafka.newTopic("cred-start", 1);
            kafka.produce(input, readings(registry.registry(), input, V1, 0, 20));
            StreamGruConfig c = config(kafka, "cred-start-" + System.nanoTime(), input, registry.url(), "streamgru:wrong");
            try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
                assertThatThrownBy(app::start).isInstanceOf(EnvironmentException.class)
                        .hasMessageContaining("refused the credentials")
                        .hasMessageContaining("schema.registry.basic.auth.user.info")
                        .hasMessageNotContaining("\n");
            }
            try (Admin admin = kafka.newAdmin()) {
                assertThat(admin.listTopics().names().get()).doesNotContain(c.deadLetterTopic(), c.output().topic());
                assertThat(admin.listConsumerGroupOffsets(c.appId()).partitionsToOffsetAndMetadata().get()).isEmpty();
            }
        }
    }

    @Test
    void credentialsRevokedMidRunStopBeforeTheUndecodedRecordAndARestartLosesNothing(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("cred-revoked", 1);
        String appId = "cred-revoked-" + System.nanoTime();
        InMemorySchemaRegistry store;
        int port;
        StreamGruConfig oldCredentials;
        try (LocalSchemaRegistryServer registry = LocalSchemaRegistryServer.builder().port(0)
                .basicAuth("streamgru", "old").start()) {
            store = registry.registry();
            port = registry.port();
            oldCredentials = config(kafka, appId, input, registry.url(), "streamgru:old");
            kafka.produce(input, readings(store, input, V1, 0, 40));
            try (StreamGruApp app = new StreamGruApp(oldCredentials, new StreamGruMetrics(new SimpleMeterRegistry()))) {
                app.start();
                assertThat(kafka.consume(oldCredentials.output().topic(), 80, WAIT)).hasSize(80);

                // The registry's password changes under the running application (same address, same schemas).
                registry.close();
                try (LocalSchemaRegistryServer rotated = LocalSchemaRegistryServer.builder().registry(store).port(port)
                        .basicAuth("streamgru", "new").start()) {
                    kafka.produce(input, readings(store, input, V2, 40, 80)); // a schema id the learner must fetch
                    long started = System.nanoTime();
                    while (app.failure().isEmpty()) {
                        assertThat(System.nanoTime() - started).as("stops within 60 s").isLessThan(60_000_000_000L);
                        Thread.sleep(100);
                    }
                    System.out.printf("stopped %d ms after the records with the new schema were written%n",
                            (System.nanoTime() - started) / 1_000_000);
                    assertThat(app.failure().get().getMessage()).contains("refused the credentials");
                    while (app.state() != KafkaStreams.State.ERROR) { // what ends `streamgru run` (exit 1)
                        assertThat(System.nanoTime() - started).as("in ERROR within 60 s").isLessThan(60_000_000_000L);
                        Thread.sleep(100);
                    }
                }
            }
        }
        try (Admin admin = kafka.newAdmin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(input, 0));
            assertThat(committed.offset()).as("committed offset: not past the first undecoded record (offset 80)")
                    .isLessThanOrEqualTo(80);
            System.out.printf("committed offset after the stop: %d%n", committed.offset());
        }
        assertThat(kafka.consumeAllUntilIdle(oldCredentials.deadLetterTopic(), Duration.ofSeconds(1)))
                .as("dead letters").isEmpty();

        try (LocalSchemaRegistryServer rotated = LocalSchemaRegistryServer.builder().registry(store).port(port)
                .basicAuth("streamgru", "new").start()) {
            StreamGruConfig newCredentials = config(kafka, appId, input, rotated.url(), "streamgru:new");
            try (StreamGruApp app = new StreamGruApp(newCredentials, new StreamGruMetrics(new SimpleMeterRegistry()))) {
                app.start();
                kafka.consume(newCredentials.output().topic(), 160, WAIT);
                assertThat(kafka.consumeAllUntilIdle(newCredentials.output().topic(), Duration.ofSeconds(2)))
                        .as("every record forecast exactly once").hasSize(160);
                assertThat(app.failure()).isEmpty();
            }
        }
        assertThat(kafka.consumeAllUntilIdle(oldCredentials.deadLetterTopic(), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aRegistryThatGoesDownMidRunStopsTheLearnersBeforeTheUndecodedRecordWithoutDeadLetters(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("registry-down", 1);
        String appId = "registry-down-" + System.nanoTime();
        StreamGruConfig c;
        try (LocalSchemaRegistryServer registry = LocalSchemaRegistryServer.builder().port(0)
                .basicAuth("streamgru", "secret").start()) {
            InMemorySchemaRegistry store = registry.registry();
            c = config(kafka, appId, input, registry.url(), "streamgru:secret");
            kafka.produce(input, readings(store, input, V1, 0, 40));
            try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
                app.start();
                assertThat(kafka.consume(c.output().topic(), 80, WAIT)).hasSize(80);
                registry.close(); // nothing listens there any more
                kafka.produce(input, readings(store, input, V2, 40, 80));
                long started = System.nanoTime();
                while (app.state() != KafkaStreams.State.ERROR) {
                    assertThat(System.nanoTime() - started).as("stops within 90 s").isLessThan(90_000_000_000L);
                    Thread.sleep(100);
                }
                System.out.printf("registry down: stopped %d ms after the records with the new schema were written%n",
                        (System.nanoTime() - started) / 1_000_000);
                assertThat(app.failure()).get().extracting(Throwable::getMessage).asString()
                        .startsWith("the Schema Registry cannot be reached (");
                // What /health and /ready answer now (503 with this line): a supervisor sees it stopped.
                assertThat(app.unhealthy()).hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("Kafka Streams state is ERROR: the Schema Registry cannot be reached ("));
                assertThat(app.notReady()).isEqualTo(app.unhealthy());
            }
        }
        try (Admin admin = kafka.newAdmin()) {
            assertThat(admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(input, 0)).offset()).isLessThanOrEqualTo(80);
        }
        assertThat(kafka.consumeAllUntilIdle(c.output().topic(), Duration.ofSeconds(1))).hasSize(80);
        assertThat(kafka.consumeAllUntilIdle(c.deadLetterTopic(), Duration.ofSeconds(1))).as("dead letters").isEmpty();
    }
}
