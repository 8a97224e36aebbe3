package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.Kcat;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.DeadLetters;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import io.streamgru.schemas.serde.ConfluentAvroDeserializer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro through a Schema Registry, end to end on a real broker: a user's topic with its own schema
 * (features in a nested record) in, Avro forecasts out; Confluent's Python AvroConsumer decodes
 * them against the registry; kcat reads the JSON variant; unknown schema ids are dead-lettered.
 */
@WithKafka
class AvroEndToEndTest {

    private static final Schema USER_SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"PlantReading","namespace":"com.example.plant","fields":[
              {"name":"device","type":"string"},
              {"name":"measured","type":{"type":"record","name":"Measured","fields":[
                {"name":"load","type":"double"},
                {"name":"power","type":["null","double"],"default":null}]}},
              {"name":"site","type":"string"}]}""");

    private static LocalSchemaRegistryServer registry;
    private static SchemaRegistryClient client;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

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

    private StreamGruConfig config(KafkaTestCluster kafka, String input, String format) {
        Map<String, String> m = new HashMap<>();
        m.put("app.id", "avro-" + System.nanoTime());
        m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        m.put("kafka.state.dir", stateDir.toString());
        m.put("kafka.commit.interval.ms", "100");
        m.put("schema.registry.url", registry.url());
        m.put("input.topics", input);
        m.put("input.format", "avro");
        m.put("input.key", "device");
        m.put("input.features", "measured.load");
        m.put("input.target", "measured.power");
        m.put("output.format", format);
        m.put("learner.hidden", "8");
        m.put("learner.chunk", "8");
        return StreamGruConfig.from(Settings.of(m, "test"));
    }

    private List<KeyValue<byte[], byte[]>> readings(String topic, int devices, int steps) {
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(client,
                Map.of(RegistryClientConfig.URL, registry.url()), false);
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            for (int d = 0; d < devices; d++) {
                GenericRecord measured = new GenericData.Record(USER_SCHEMA.getField("measured").schema());
                measured.put("load", Math.sin(0.2 * t + d));
                measured.put("power", t % 10 == 9 ? null : 5 + Math.sin(0.2 * (t - 1) + d));
                GenericRecord r = new GenericData.Record(USER_SCHEMA);
                r.put("device", "pump-" + d);
                r.put("measured", measured);
                r.put("site", "north");
                records.add(KeyValue.pair(null, serializer.serialize(topic, r)));
            }
        }
        return records;
    }

    @Test
    void anyUserSchemaInAvroForecastsOutDecodedByConfluentsPythonAvroConsumer(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("avro-in", 2);
        StreamGruConfig c = config(kafka, input, "avro");
        List<KeyValue<byte[], byte[]>> sent = readings(input, 3, 100);
        sent.add(KeyValue.pair(null, new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4})); // an id the registry never issued
        kafka.produce(input, sent);

        List<ConsumerRecord<byte[], byte[]>> out;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            out = kafka.consume(c.output().topic(), 300, Duration.ofSeconds(90));
            dead = kafka.consume(c.deadLetterTopic(), 1, Duration.ofSeconds(30));
        }

        ConfluentAvroDeserializer<Forecast> forecasts = new ConfluentAvroDeserializer<>(client, Forecast.class);
        int withError = 0;
        int withInterval = 0;
        for (ConsumerRecord<byte[], byte[]> r : out) {
            Forecast f = forecasts.deserialize(c.output().topic(), r.value());
            assertThat(f.getSeriesId()).startsWith("pump-");
            assertThat(f.getPrediction()).isFinite();
            if (f.getError() != null) {
                withError++;
            }
            if (f.getLower() != null) {
                withInterval++;
                assertThat(f.getLower()).isLessThanOrEqualTo(f.getPrediction());
                assertThat(f.getUpper()).isGreaterThanOrEqualTo(f.getPrediction());
                assertThat(f.getIntervalLevel()).isEqualTo(0.9);
            }
        }
        assertThat(withError).isGreaterThan(200);
        assertThat(withInterval).as("all but each key's first forecasts or two").isGreaterThan(280);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("UNKNOWN_SCHEMA");

        List<JsonNode> decoded = pythonAvroConsumer(kafka, c.output().topic(), 300);
        assertThat(decoded).hasSize(300);
        int decodedWithInterval = 0;
        for (JsonNode f : decoded) {
            if (f.get("lower").isNumber()) {
                decodedWithInterval++;
                assertThat(f.get("lower").asDouble()).isLessThanOrEqualTo(f.get("prediction").asDouble());
                assertThat(f.get("upper").asDouble()).isGreaterThanOrEqualTo(f.get("prediction").asDouble());
                assertThat(f.get("interval_level").asDouble()).isEqualTo(0.9);
            }
            assertThat(f.get("series_id").asText()).startsWith("pump-");
            assertThat(f.get("prediction").isNumber()).isTrue();
            assertThat(f.get("model_version").isIntegralNumber()).isTrue();
            assertThat(f.get("config_hash").asText()).hasSize(16);
        }
        assertThat(decodedWithInterval).as("Confluent's Python client decodes the intervals").isEqualTo(withInterval);
    }

    @Test
    void kcatReadsTheJsonForecasts(KafkaTestCluster kafka) throws Exception {
        Kcat kcat = Kcat.find().orElse(null);
        if (kcat == null && "1".equals(System.getenv("CI_REQUIRE_KCAT"))) {
            throw new AssertionError("CI_REQUIRE_KCAT=1 but kcat is not installed (apt-get install -y kcat)");
        }
        Assumptions.assumeTrue(kcat != null, "kcat absent (apt-get install -y kcat to run this test)");
        String input = kafka.newTopic("kcat-in", 1);
        StreamGruConfig c = config(kafka, input, "json");
        kafka.produce(input, readings(input, 2, 20));
        try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            kafka.consume(c.output().topic(), 40, Duration.ofSeconds(90));
        }

        String text = kcat.run(Duration.ofSeconds(60), "-b", kafka.bootstrapServers(), "-C", "-t", c.output().topic(),
                "-c", "40", "-e", "-X", "isolation.level=read_committed", "-f", "%k\t%s\n");
        String[] lines = text.strip().split("\n");
        assertThat(lines).hasSize(40);
        for (String line : lines) {
            String[] kv = line.split("\t", 2);
            JsonNode f = json.readTree(kv[1]);
            assertThat(kv[0]).isEqualTo(f.get("series_id").asText()).startsWith("pump-");
            assertThat(f.get("prediction").isNumber()).isTrue();
        }
    }

    private List<JsonNode> pythonAvroConsumer(KafkaTestCluster kafka, String topic, int count) throws Exception {
        boolean available = run(List.of("/usr/bin/python3", "-c", "import confluent_kafka.avro")).exit == 0;
        if (!available && "1".equals(System.getenv("CI_REQUIRE_PYTHON_CONFLUENT"))) {
            throw new AssertionError("CI_REQUIRE_PYTHON_CONFLUENT=1 but confluent_kafka.avro is missing "
                    + "(apt-get install -y python3-confluent-kafka python3-avro)");
        }
        Assumptions.assumeTrue(available,
                "Confluent's Python client absent (apt-get install -y python3-confluent-kafka python3-avro)");
        Result r = run(List.of("/usr/bin/python3", "src/test/python/avro_consume_forecasts.py",
                kafka.bootstrapServers(), registry.url(), topic, Integer.toString(count)));
        assertThat(r.exit).as(r.output).isZero();
        List<JsonNode> values = new ArrayList<>();
        for (String line : r.output.split("\n")) {
            if (line.startsWith("{")) {
                values.add(json.readTree(line));
            }
        }
        return values;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, output);
        }
        return new Result(p.exitValue(), output);
    }
}
