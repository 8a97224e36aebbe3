package io.streamgru.app.cli;

import static io.streamgru.app.cli.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} and {@code replay} over an Avro topic (a user's schema, through a schema
 * registry): decoded as the live app decodes it, a record of an unknown schema skipped and counted.
 */
@WithKafka
class AvroHistoryCommandsTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"PlantReading","namespace":"com.example.plant","fields":[
              {"name":"device","type":"string"},
              {"name":"measured","type":{"type":"record","name":"Measured","fields":[
                {"name":"load","type":"double"},
                {"name":"power","type":["null","double"],"default":null}]}}]}""");

    private static LocalSchemaRegistryServer registry;
    private static SchemaRegistryClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = LocalSchemaRegistryServer.builder().port(0).start();
        client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(registry.url()));
    }

    @AfterAll
    static void stopRegistry() {
        client.close();
        registry.close();
    }

    @Test
    void evaluateAndReplayReadAvroThroughTheRegistry(KafkaTestCluster kafka) throws Exception {
        String topic = kafka.newTopic("avro-history", 2);
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(client,
                Map.of(RegistryClientConfig.URL, registry.url()), false);
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            for (int d = 0; d < 3; d++) {
                GenericRecord measured = new GenericData.Record(SCHEMA.getField("measured").schema());
                measured.put("load", Math.sin(0.2 * t + d));
                measured.put("power", 5 + Math.sin(0.2 * (t - 1) + d));
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("device", "pump-" + d);
                r.put("measured", measured);
                records.add(KeyValue.pair(null, serializer.serialize(topic, r)));
            }
        }
        records.add(KeyValue.pair(null, new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4})); // an id the registry never issued
        kafka.produce(topic, records);
        String appId = "avro-history-" + System.nanoTime();
        Path config = dir.resolve("streamgru.properties");
        Files.writeString(config, String.join("\n",
                "app.id=" + appId,
                "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "schema.registry.url=" + registry.url(),
                "input.topics=" + topic,
                "input.format=avro",
                "input.key=device",
                "input.features=measured.load",
                "input.target=measured.power",
                "learner.hidden=8",
                ""));

        var evaluated = run("evaluate", "--config", config.toString(), "--json");
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("\"records\":300", "\"series\":3");
        assertThat(evaluated.err()).contains("UNKNOWN_SCHEMA 1");

        var replayed = run("replay", "--config", config.toString(), "--checkpoint-dir", dir.resolve("ckpt").toString(),
                "--quiet");
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(replayed.out()).contains("300 records (1 invalid skipped) of 3 keys; model version 1 published");

        // Read as JSON (the default format), every record is corrupt: no metrics of nothing, one line saying why.
        var asJson = run("evaluate", "--config", config.toString(), "--set", "input.format=json", "--json", "--quiet");
        assertThat(asJson.exitCode()).isEqualTo(1);
        assertThat(asJson.out()).isEmpty();
        assertThat(asJson.err()).contains("nothing to evaluate: all 301 records were rejected (CORRUPT 301;",
                "Confluent-framed Avro", "set input.format: avro");
        assertThat(asJson.err().strip()).doesNotContain("\n");
    }
}
