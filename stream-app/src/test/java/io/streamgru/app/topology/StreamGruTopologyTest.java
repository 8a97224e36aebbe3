package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import io.streamgru.app.versions.VersionRequest;
import io.streamgru.app.versions.VersionRequestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processors' logic on Kafka Streams' test driver (the real-broker tests are separate). */
class StreamGruTopologyTest {

    private final ObjectMapper json = new ObjectMapper();
    private StreamGruConfig config;
    private StreamGruMetrics metrics;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], byte[]> forecasts;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> models;

    @BeforeEach
    void start() {
        // Two experts, the model and persistence (no linear path: LinearPathTopologyTest has it), so a
        // published forecast lies between the two the record carries.
        config = StreamGruConfig.from(Settings.of(Map.of(
                "app.id", "test", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8", "learner.lr", "0.01",
                "learner.linear.lags", "0"), "test"));
        metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        String hash = config.configHash();
        var fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(StreamGruTopology.build(config, hash, 1, () -> new JsonRecordDecoder(fields),
                JsonForecastEncoder::new, metrics), props);
        ByteArraySerializer ser = new ByteArraySerializer();
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        input = driver.createInputTopic("sensors", ser, ser);
        forecasts = driver.createOutputTopic(config.output().topic(), de, de);
        deadLetters = driver.createOutputTopic(config.deadLetterTopic(), de, de);
        models = driver.createOutputTopic(config.modelTopic(), de, de);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(String key, double load, Double temperature) {
        String value = String.format(Locale.ROOT, "{\"load\":%s,\"temperature\":%s}", load,
                temperature == null ? "null" : temperature.toString());
        input.pipeInput(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private void sendSensors(int steps) {
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < 3; k++) {
                double load = Math.sin(0.2 * t + k);
                send("sensor-" + k, load, 20 + 3 * Math.sin(0.2 * (t - 1) + k));
            }
        }
    }

    @Test
    void everyRecordGetsOneForecastCarryingTheModelVersionItWasMadeWith() throws IOException {
        sendSensors(200);

        List<TestRecord<byte[], byte[]>> out = forecasts.readRecordsToList();
        assertThat(out).hasSize(600);
        long lastVersion = -1;
        for (TestRecord<byte[], byte[]> r : out) {
            JsonNode f = json.readTree(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(f.get("series_id").asText());
            assertThat(f.get("prediction").isNumber()).isTrue();
            long v = f.get("model_version").asLong();
            assertThat(v).isGreaterThanOrEqualTo(lastVersion);
            lastVersion = v;
        }
        assertThat(lastVersion).isPositive();
    }

    @Test
    void modelVersionsIncreaseByOneWithNoGaps() {
        sendSensors(200);

        List<ModelVersion> published = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : models.readRecordsToList()) {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("test");
            published.add(ModelVersionCodec.decode(r.value()));
        }
        assertThat(published).isNotEmpty();
        for (int i = 0; i < published.size(); i++) {
            assertThat(published.get(i).version()).isEqualTo(i + 1);
            for (double p : published.get(i).parameters()) {
                assertThat(p).isFinite();
            }
        }
        assertThat(metrics.gradientBatchesApplied()).isEqualTo(published.size());
    }

    /**
     * Each forecast's interval, checked against the actual that the key's next record brings (horizon
     * 1): about 90 % of them hold it, and the instance's interval meters count the same.
     */
    @Test
    void forecastsCarryIntervalsThatCoverAtTheirLevelAndTheMetersAgree() throws IOException {
        sendSensors(1000);

        java.util.Map<String, double[]> previous = new java.util.HashMap<>();
        int scored = 0;
        int covered = 0;
        for (TestRecord<byte[], byte[]> r : forecasts.readRecordsToList()) {
            JsonNode f = json.readTree(r.value());
            double[] interval = previous.get(f.get("series_id").asText());
            if (interval != null && f.get("actual").isNumber()) {
                double actual = f.get("actual").asDouble();
                scored++;
                covered += interval[0] <= actual && actual <= interval[1] ? 1 : 0;
            }
            if (f.get("lower").isNumber()) {
                assertThat(f.get("interval_level").asDouble()).isEqualTo(0.9);
                previous.put(f.get("series_id").asText(), new double[] {f.get("lower").asDouble(),
                        f.get("upper").asDouble()});
            } else {
                assertThat(previous).as("only a key's first forecast has none").doesNotContainKey(f.get("series_id").asText());
            }
        }
        assertThat(scored).as("each key's forecasts but its first (no error known yet) and its last").isEqualTo(3 * 998);
        assertThat(covered / (double) scored).isBetween(0.87, 0.93);
        assertThat(metrics.intervalCoverage()).isCloseTo(covered / (double) scored, within(1e-9));
    }

    /**
     * With the combination of experts (the default), each forecast carries the model's own forecast and
     * the expert that dominates the published one, which lies between the model's and persistence's
     * (the key's last actual); the meters count the dominant experts of every forecast.
     */
    @Test
    void forecastsCarryTheModelsOwnForecastAndTheirDominantExpert() throws IOException {
        sendSensors(600);

        java.util.Set<String> experts = new java.util.HashSet<>();
        int published = 0;
        for (TestRecord<byte[], byte[]> r : forecasts.readRecordsToList()) {
            JsonNode f = json.readTree(r.value());
            published++;
            assertThat(f.get("model_forecast").isNumber()).isTrue();
            String expert = f.get("expert").asText();
            assertThat(expert).isIn("model", "persistence");
            experts.add(expert);
            if (f.get("actual").isNumber()) {
                double model = f.get("model_forecast").asDouble();
                double persistence = f.get("actual").asDouble(); // horizon 1: the last known target
                assertThat(f.get("prediction").asDouble()).isBetween(Math.min(model, persistence) - 1e-9,
                        Math.max(model, persistence) + 1e-9);
            }
        }
        assertThat(experts).as("a fresh model is worse than persistence at first, then better").contains("model",
                "persistence");
        assertThat(metrics.forecastsDominatedBy("model") + metrics.forecastsDominatedBy("persistence"))
                .isEqualTo(published);
        assertThat(metrics.forecastsDominatedBy("linear")).isZero();
    }

    @Test
    void theModelLearnsAcrossKeysAndBeatsPersistenceAfterWarmUp() throws IOException {
        sendSensors(1500);

        double model = 0;
        double persistence = 0;
        int n = 0;
        List<TestRecord<byte[], byte[]>> out = forecasts.readRecordsToList();
        for (TestRecord<byte[], byte[]> r : out.subList(out.size() / 2, out.size())) {
            JsonNode f = json.readTree(r.value());
            if (f.get("error").isNumber() && f.get("persistence_error").isNumber()) {
                model += Math.abs(f.get("error").asDouble());
                persistence += Math.abs(f.get("persistence_error").asDouble());
                n++;
            }
        }
        assertThat(n).isGreaterThan(2000);
        assertThat(model / n).isLessThan(persistence / n);
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithAReasonAndTheRestIsUnaffected() {
        send("sensor-0", 0.5, 21.0);
        input.pipeInput("sensor-0".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
        input.pipeInput("sensor-0".getBytes(StandardCharsets.UTF_8), "{\"temperature\":3}".getBytes(StandardCharsets.UTF_8));
        input.pipeInput("sensor-0".getBytes(StandardCharsets.UTF_8),
                "{\"load\":\"hot\",\"temperature\":3}".getBytes(StandardCharsets.UTF_8));
        input.pipeInput("sensor-0".getBytes(StandardCharsets.UTF_8),
                "{\"load\":1,\"temperature\":1e300}".getBytes(StandardCharsets.UTF_8)); // too extreme to learn from
        input.pipeInput((byte[]) null, "{\"load\":1,\"temperature\":3}".getBytes(StandardCharsets.UTF_8));
        send("sensor-0", 0.6, 21.5);

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, DeadLetters.REASON))
                .containsExactly("CORRUPT", "MISSING_FIELD", "NON_NUMERIC", "OUT_OF_RANGE", "NULL_KEY");
        assertThat(header(dead.get(1), DeadLetters.MESSAGE)).contains("feature 'load' is missing");
        assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo("sensors");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(forecasts.readRecordsToList()).hasSize(2);
        assertThat(metrics.deadLetters()).isEqualTo(5);
    }

    @Test
    void aNullFeatureIsAGapThatIsImputedNotAnError() {
        send("sensor-0", 0.5, 21.0);
        input.pipeInput("sensor-0".getBytes(StandardCharsets.UTF_8),
                "{\"load\":null,\"temperature\":21.2}".getBytes(StandardCharsets.UTF_8));
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(forecasts.readRecordsToList()).hasSize(2);
    }

    @Test
    void aVersionRequestBecomesTheOptimizersNextVersionAndTrainingGoesOnFromIt() {
        sendSensors(100);
        List<TestRecord<byte[], byte[]>> before = models.readRecordsToList();
        ModelVersion first = ModelVersionCodec.decode(before.get(0).value());
        long newest = ModelVersionCodec.version(before.get(before.size() - 1).value());
        TestOutputTopic<byte[], byte[]> history = driver.createOutputTopic(config.modelHistoryTopic(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        history.readRecordsToList();

        gradients().pipeInput("test".getBytes(StandardCharsets.UTF_8),
                VersionRequestCodec.encode(new VersionRequest("request-1", "rollback:1", first)));

        List<TestRecord<byte[], byte[]>> published = models.readRecordsToList();
        assertThat(published).hasSize(1);
        ModelVersion v = ModelVersionCodec.decode(published.get(0).value());
        assertThat(v.version()).isEqualTo(newest + 1);
        assertThat(v.origin()).isEqualTo("rollback:1");
        assertThat(v.parameters()).containsExactly(first.parameters());
        assertThat(v.optimizerState()).containsExactly(first.optimizerState());
        assertThat(header(published.get(0), VersionRequest.HEADER)).isEqualTo("request-1");
        List<TestRecord<byte[], byte[]>> copied = history.readRecordsToList();
        assertThat(copied).hasSize(1);
        assertThat(copied.get(0).value()).isEqualTo(published.get(0).value());
        assertThat(header(copied.get(0), VersionRequest.HEADER)).isEqualTo("request-1");

        sendSensors(100);
        ModelVersion next = ModelVersionCodec.decode(models.readRecordsToList().get(0).value());
        assertThat(next.version()).isEqualTo(newest + 2);
        assertThat(next.origin()).isEqualTo(ModelVersion.FROM_OPTIMIZER);
        assertThat(next.optimizerSteps()).as("one step on from version 1's optimizer state")
                .isEqualTo(first.optimizerSteps() + 1);
    }

    @Test
    void aVersionRequestTheOptimizerCannotUsePublishesNothing() {
        sendSensors(100);
        List<TestRecord<byte[], byte[]>> before = models.readRecordsToList();
        ModelVersion first = ModelVersionCodec.decode(before.get(0).value());
        long newest = ModelVersionCodec.version(before.get(before.size() - 1).value());

        gradients().pipeInput("test".getBytes(StandardCharsets.UTF_8), VersionRequestCodec.encode(
                new VersionRequest("other-config", "import", new ModelVersion(0, "other", first.parameters(),
                        first.featureStats(), first.targetStats(), first.optimizerState(), 1, 1, 0, "x", 1))));
        double[] notFinite = first.parameters().clone();
        notFinite[0] = Double.NaN;
        gradients().pipeInput("test".getBytes(StandardCharsets.UTF_8), VersionRequestCodec.encode(
                new VersionRequest("nan", "import", new ModelVersion(0, first.configHash(), notFinite,
                        first.featureStats(), first.targetStats(), first.optimizerState(), 1, 1, 0, "x", 1))));

        assertThat(models.readRecordsToList()).isEmpty();
        sendSensors(100);
        assertThat(ModelVersionCodec.version(models.readRecordsToList().get(0).value()))
                .as("the optimizer's own line goes on").isEqualTo(newest + 1);
    }

    private TestInputTopic<byte[], byte[]> gradients() {
        return driver.createInputTopic(config.gradientsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
