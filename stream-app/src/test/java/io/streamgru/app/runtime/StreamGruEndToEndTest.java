package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.SensorReadings;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.DeadLetters;
import io.streamgru.app.topology.GradientBatchCodec;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StreamGRU on a real broker (in-JVM KRaft, or a container where Docker exists), end to end:
 * exactly one forecast per reading, one model version sequence across partitions and instances,
 * restarts that lose and repeat nothing, and bad records in the dead-letter topic.
 */
@WithKafka
class StreamGruEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

    private StreamGruConfig config(KafkaTestCluster kafka, String appId, String input, String instance) {
        return config(kafka, appId, input, instance, Map.of());
    }

    private StreamGruConfig config(KafkaTestCluster kafka, String appId, String input, String instance,
                                   Map<String, String> overrides) {
        Map<String, String> m = TestSettings.sensorApp(kafka, appId, input, stateDir.resolve(instance));
        m.put("learner.hidden", "8");
        m.put("learner.chunk", "8");
        m.put("learner.window", "16");
        m.put("learner.lr", "0.01");
        m.put("streaming.gradient.flush.ms", "500");
        m.putAll(overrides);
        return TestSettings.config(m);
    }

    private static List<KeyValue<byte[], byte[]>> readings(int keys, int fromStep, int toStep) {
        return SensorReadings.json(keys, fromStep, toStep);
    }

    private List<JsonNode> forecasts(KafkaTestCluster kafka, StreamGruConfig c, int count) throws IOException {
        kafka.consume(c.output().topic(), count, WAIT); // waits until `count` committed forecasts exist
        // Then everything there is: nothing beyond the expected count may appear (exactly once).
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(c.output().topic(), Duration.ofSeconds(2))) {
            out.add(json.readTree(r.value()));
        }
        return out;
    }

    /** The versions the model topic holds, in order, and the offset of the first. */
    private record HeldVersions(List<ModelVersion> versions, long firstOffset) {
    }

    private static HeldVersions modelTopic(KafkaTestCluster kafka, StreamGruConfig c) {
        List<ModelVersion> versions = new ArrayList<>();
        long firstOffset = -1;
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(c.modelTopic(), Duration.ofSeconds(2))) {
            if (firstOffset < 0) {
                firstOffset = r.offset();
            }
            versions.add(ModelVersionCodec.decode(r.value()));
        }
        return new HeldVersions(versions, firstOffset);
    }

    private static List<ModelVersion> models(KafkaTestCluster kafka, StreamGruConfig c) {
        return modelTopic(kafka, c).versions();
    }

    /**
     * The versions the model topic holds run one after another up to the newest, from version 1 at
     * the topic's first offset. The topic is compacted in segments as small as a version allows,
     * so the log cleaner may already have removed the oldest (with 2 MB versions, one per segment, it
     * did in a slow run): with one key it can only remove a prefix, and the offsets stay, so a first
     * version other than 1 must sit at an offset after 0.
     */
    private static void assertVersionsIncreaseWithoutGaps(HeldVersions held) {
        List<ModelVersion> versions = held.versions();
        assertThat(versions).isNotEmpty();
        long first = versions.get(0).version();
        if (first != 1) {
            assertThat(held.firstOffset()).as("version %d first: the cleaner removed the versions before it", first)
                    .isPositive();
        }
        assertThat(first).as("the oldest version held").isPositive();
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i).version()).as("version #%d", i).isEqualTo(first + i);
            for (double p : versions.get(i).parameters()) {
                assertThat(p).isFinite();
            }
        }
    }

    @Test
    void everyReadingGetsExactlyOneForecastAndTheModelLearns(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("e2e-in", 2);
        StreamGruConfig c = config(kafka, "e2e-" + System.nanoTime(), input, "a");
        List<KeyValue<byte[], byte[]>> sent = readings(4, 0, 1200);
        kafka.produce(input, sent);

        List<JsonNode> out;
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        try (StreamGruApp app = new StreamGruApp(c, metrics)) {
            app.start();
            out = forecasts(kafka, c, sent.size());
        }
        System.out.println(metrics.summary());

        assertThat(out).hasSize(sent.size());
        // Exactly once, in order: each key's forecasts carry its readings' targets, one each, as sent.
        Map<String, List<Double>> expected = new HashMap<>();
        for (KeyValue<byte[], byte[]> r : sent) {
            expected.computeIfAbsent(new String(r.key, StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(json.readTree(r.value).get("temperature").asDouble());
        }
        Map<String, List<Double>> actuals = new HashMap<>();
        Map<String, Integer> perKey = new HashMap<>();
        double model = 0;
        double persistence = 0;
        int n = 0;
        for (JsonNode f : out) { // a key's forecasts arrive in order (one partition per key)
            assertThat(f.get("model_version").isIntegralNumber()).isTrue();
            actuals.computeIfAbsent(f.get("series_id").asText(), k -> new ArrayList<>()).add(f.get("actual").asDouble());
            int index = perKey.merge(f.get("series_id").asText(), 1, Integer::sum);
            // After warm-up: each key's second half.
            if (index > 600 && f.get("error").isNumber() && f.get("persistence_error").isNumber()) {
                n++;
                model += Math.abs(f.get("error").asDouble());
                persistence += Math.abs(f.get("persistence_error").asDouble());
            }
        }
        assertThat(actuals).isEqualTo(expected);
        HeldVersions held = modelTopic(kafka, c);
        assertVersionsIncreaseWithoutGaps(held);
        List<ModelVersion> versions = held.versions();
        assertThat(n).isGreaterThan(sent.size() / 2 - 8);
        System.out.printf("after warm-up: model MAE %.4f, persistence MAE %.4f over %d forecasts%n", model / n,
                persistence / n, n);
        assertThat(model).as("model vs persistence total absolute error after warm-up").isLessThan(persistence);
    }

    @Test
    void gradientsTravelAsFloat32AndTheOptimizerChangelogKeepsUpWithTheModel(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("e2e-wire", 2);
        StreamGruConfig c = config(kafka, "e2e-wire-" + System.nanoTime(), input, "a");
        List<KeyValue<byte[], byte[]>> sent = readings(4, 0, 200);
        kafka.produce(input, sent);
        try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            assertThat(forecasts(kafka, c, sent.size())).hasSize(sent.size());
        }

        List<ConsumerRecord<byte[], byte[]>> batches = kafka.consumeAllUntilIdle(c.gradientsTopic(), Duration.ofSeconds(2));
        assertThat(batches).isNotEmpty();
        for (ConsumerRecord<byte[], byte[]> r : batches) {
            int parameters = GradientBatchCodec.decode(r.value()).gradientSum().length;
            // 4 bytes per gradient value plus a header and the statistics, well under 8 per value.
            assertThat(r.value().length).isBetween(4 * parameters, 4 * parameters + 400);
        }
        HeldVersions held = modelTopic(kafka, c);
        assertVersionsIncreaseWithoutGaps(held);
        List<ModelVersion> versions = held.versions();
        // The optimizer's store is cached: its changelog gets the newest version at each commit, not every
        // version, and the newest one it holds is the newest published, moments included.
        List<ModelVersion> changelog = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(
                c.optimizerAppId() + "-optimizer-state-changelog", Duration.ofSeconds(2))) {
            changelog.add(ModelVersionCodec.decode(r.value()));
        }
        assertThat(changelog).isNotEmpty().hasSizeLessThanOrEqualTo(versions.size());
        ModelVersion newest = versions.get(versions.size() - 1);
        ModelVersion stored = changelog.get(changelog.size() - 1);
        assertThat(stored.version()).isEqualTo(newest.version());
        assertThat(stored.parameters()).containsExactly(newest.parameters());
        assertThat(stored.optimizerState()).isNotEmpty().containsExactly(newest.optimizerState());
    }

    @Test
    void twoInstancesShareOneOptimizerAndOneVersionSequence(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("e2e-two", 4);
        String appId = "e2e-two-" + System.nanoTime();
        StreamGruConfig first = config(kafka, appId, input, "one");
        StreamGruConfig second = config(kafka, appId, input, "two");
        StreamGruMetrics m1 = new StreamGruMetrics(new SimpleMeterRegistry());
        StreamGruMetrics m2 = new StreamGruMetrics(new SimpleMeterRegistry());
        List<KeyValue<byte[], byte[]>> sent = readings(8, 0, 300);

        List<JsonNode> out;
        try (StreamGruApp a = new StreamGruApp(first, m1); StreamGruApp b = new StreamGruApp(second, m2)) {
            a.start();
            b.start();
            // Both must own input partitions before data arrives, or the first could take everything.
            awaitInputTasks(a);
            awaitInputTasks(b);
            kafka.produce(input, sent);
            out = forecasts(kafka, first, sent.size());
        }

        assertThat(out).hasSize(sent.size());
        assertThat(m1.gradientBatchesSent()).as("batches from instance one").isPositive();
        assertThat(m2.gradientBatchesSent()).as("batches from instance two").isPositive();
        assertThat(m1.records() + m2.records()).isEqualTo(sent.size());
        Set<String> sources = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(first.gradientsTopic(), Duration.ofSeconds(2))) {
            sources.add(GradientBatchCodec.decode(r.value()).source());
        }
        assertThat(sources).hasSizeGreaterThanOrEqualTo(2);
        HeldVersions held = modelTopic(kafka, first);
        assertVersionsIncreaseWithoutGaps(held);
        List<ModelVersion> versions = held.versions();
        Set<Long> published = new HashSet<>();
        versions.forEach(v -> published.add(v.version()));
        published.add(0L);
        long oldestHeld = versions.get(0).version();
        long newest = versions.get(versions.size() - 1).version();
        for (JsonNode f : out) {
            long used = f.get("model_version").asLong();
            assertThat(used).isBetween(0L, newest);
            // A version before the oldest held was published, then compacted away (see assertVersionsIncreaseWithoutGaps).
            if (used == 0 || used >= oldestHeld) {
                assertThat(published).contains(used);
            }
        }
    }

    /** Waits until the instance runs and owns at least one learner (input) task. */
    private static void awaitInputTasks(StreamGruApp app) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                    && app.streams().metadataForLocalThreads().stream()
                    .flatMap(t -> t.activeTasks().stream())
                    .anyMatch(task -> task.taskId().subtopology() == 0)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("instance did not get an input task within " + WAIT);
    }

    @Test
    void aRestartContinuesFromTheSameModelAndStatesWithoutSkippingOrRepeating(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("e2e-restart", 2);
        String appId = "e2e-restart-" + System.nanoTime();
        List<KeyValue<byte[], byte[]>> firstHalf = readings(4, 0, 250);
        List<KeyValue<byte[], byte[]>> secondHalf = readings(4, 250, 500);
        kafka.produce(input, firstHalf);

        StreamGruConfig c1 = config(kafka, appId, input, "before");
        List<JsonNode> before;
        try (StreamGruApp app = new StreamGruApp(c1, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            before = forecasts(kafka, c1, firstHalf.size());
        }
        long lastVersionBefore = models(kafka, c1).stream().mapToLong(ModelVersion::version).max().orElse(0);
        assertThat(lastVersionBefore).isPositive();

        kafka.produce(input, secondHalf);
        // A fresh state directory: hidden states and the optimizer come back from the changelogs.
        StreamGruConfig c2 = config(kafka, appId, input, "after");
        List<JsonNode> all;
        try (StreamGruApp app = new StreamGruApp(c2, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            all = forecasts(kafka, c2, firstHalf.size() + secondHalf.size());
        }

        assertThat(before).hasSize(firstHalf.size());
        assertThat(all).hasSize(firstHalf.size() + secondHalf.size());
        // A key's forecasts are in one partition, in order: per key, 250 from before the restart, then 250 after.
        Map<String, List<JsonNode>> perKey = new HashMap<>();
        for (JsonNode f : all) {
            perKey.computeIfAbsent(f.get("series_id").asText(), k -> new ArrayList<>()).add(f);
        }
        assertThat(perKey).hasSize(4);
        for (List<JsonNode> series : perKey.values()) {
            assertThat(series).hasSize(500);
            for (JsonNode f : series.subList(250, 500)) {
                assertThat(f.get("model_version").asLong()).isGreaterThanOrEqualTo(lastVersionBefore);
            }
            // The first forecast after the restart resolves one made before it: the key's state survived.
            assertThat(series.get(250).get("resolved_prediction").isNumber()).isTrue();
            // And the records are the second half's, in order: each actual follows the generator.
            for (int t = 0; t < 500; t++) {
                assertThat(series.get(t).get("actual").asDouble()).isCloseTo(
                        20 + 3 * Math.sin(0.2 * (t - 1) + Integer.parseInt(
                                series.get(t).get("series_id").asText().substring(7))),
                        org.assertj.core.api.Assertions.within(1e-5));
            }
        }
        assertVersionsIncreaseWithoutGaps(modelTopic(kafka, c2));
    }

    @Test
    void modelsLargerThanOneMebibyteTravelThroughTheTopicsAndTheOptimizersChangelog(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("e2e-large", 1);
        // H = 300: ~275,000 parameters, 2.2 MB per model version and per gradient batch (float64).
        StreamGruConfig c = config(kafka, "e2e-large-" + System.nanoTime(), input, "a",
                Map.of("learner.hidden", "300", "learner.chunk", "4", "learner.window", "8"));
        List<KeyValue<byte[], byte[]>> sent = readings(2, 0, 40);
        kafka.produce(input, sent);

        try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            assertThat(forecasts(kafka, c, sent.size())).hasSize(sent.size());
        }

        HeldVersions held = modelTopic(kafka, c);
        assertVersionsIncreaseWithoutGaps(held);
        List<ModelVersion> versions = held.versions();
        assertThat(versions.get(0).parameters().length).isGreaterThan(270_000);
        assertThat(ModelVersionCodec.encode(versions.get(0)).length).isGreaterThan(2 * 1024 * 1024);
        String changelog = c.optimizerAppId() + "-optimizer-state-changelog";
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(changelog, Duration.ofSeconds(2))) {
            assertThat(ModelVersionCodec.decode(r.value()).parameters()).hasSize(versions.get(0).parameters().length);
        }
        // This broker allows large messages everywhere; a real cluster's default is 1 MiB per topic, so
        // the topics that carry whole models must set their own limit.
        try (Admin admin = kafka.newAdmin()) {
            for (String topic : List.of(c.modelTopic(), c.gradientsTopic(), changelog)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                        .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                assertThat(entry.source()).as(topic).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                assertThat(entry.value()).as(topic).isEqualTo(Integer.toString(c.streaming().maxMessageBytes()));
            }
        }
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicAndTheAppKeepsRunning(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("e2e-bad", 1);
        StreamGruConfig c = config(kafka, "e2e-bad-" + System.nanoTime(), input, "a");
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>(readings(2, 0, 50));
        byte[] key = "sensor-0".getBytes(StandardCharsets.UTF_8);
        records.add(KeyValue.pair(key, new byte[] {0, 0, 0, 0, 42, (byte) 0xff}));
        records.add(KeyValue.pair(key, "{\"temperature\":1}".getBytes(StandardCharsets.UTF_8)));
        records.add(KeyValue.pair(key, "{\"load\":\"warm\",\"temperature\":1}".getBytes(StandardCharsets.UTF_8)));
        records.add(KeyValue.pair(key, "{\"load\":\"Infinity\",\"temperature\":1}".getBytes(StandardCharsets.UTF_8)));
        records.add(KeyValue.pair(null, "{\"load\":1,\"temperature\":1}".getBytes(StandardCharsets.UTF_8)));
        records.addAll(readings(2, 50, 100));
        kafka.produce(input, records);

        List<ConsumerRecord<byte[], byte[]>> dead;
        try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            assertThat(forecasts(kafka, c, 200)).hasSize(200);
            dead = kafka.consume(c.deadLetterTopic(), 5, WAIT);
        }
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            Header h = r.headers().lastHeader(DeadLetters.REASON);
            reasons.add(new String(h.value(), StandardCharsets.UTF_8));
            assertThat(r.headers().lastHeader(DeadLetters.MESSAGE)).isNotNull();
        }
        assertThat(reasons).containsExactly("CORRUPT", "MISSING_FIELD", "NON_NUMERIC", "NON_FINITE", "NULL_KEY");
        assertVersionsIncreaseWithoutGaps(modelTopic(kafka, c));
    }
}
