package io.streamgru.app.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.versions.ModelPublisher;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topics StreamGRU creates, read back from a real broker with {@code Admin.describeConfigs}. */
@WithKafka
class TopicProvisionerTest {

    @TempDir
    Path dir;

    @Test
    void gradientsAreDeletedAfterTheConfiguredHoursAndTheModelTopicCompactsInSmallSegments(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("provision-in", 3);
        Map<String, String> settings = TestSettings.sensorApp(kafka, "provision-" + System.nanoTime(), input, dir);
        settings.put("streaming.gradients.retention.hours", "3");
        settings.put("streaming.max.message.bytes", Integer.toString(4 * 1024 * 1024));
        StreamGruConfig config = TestSettings.config(settings);

        try (Admin admin = kafka.newAdmin()) {
            assertThat(TopicProvisioner.provision(admin, config)).as("input partitions").isEqualTo(3);

            Config gradients = describe(admin, config.gradientsTopic());
            assertThat(gradients.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(gradients.get("retention.ms").value()).isEqualTo(Long.toString(3 * 3_600_000L));
            assertThat(gradients.get("segment.ms").value()).isEqualTo(Long.toString(10 * 60_000L));
            assertThat(gradients.get("max.message.bytes").value()).isEqualTo(Integer.toString(4 * 1024 * 1024));
            assertThat(admin.describeTopics(List.of(config.gradientsTopic())).allTopicNames().get()
                    .get(config.gradientsTopic()).partitions()).hasSize(1);

            Config model = describe(admin, config.modelTopic());
            assertThat(model.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(model.get("segment.bytes").value()).as("as small as the largest version allows")
                    .isEqualTo(Integer.toString(4 * 1024 * 1024));
            assertThat(model.get("segment.ms").value()).isEqualTo(Long.toString(10 * 60_000L));
            assertThat(model.get("min.cleanable.dirty.ratio").value()).isEqualTo("0.1");
            assertThat(model.get("max.message.bytes").value()).isEqualTo(Integer.toString(4 * 1024 * 1024));

            Config history = describe(admin, config.modelHistoryTopic());
            assertThat(history.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(history.get("retention.ms").value()).isEqualTo(Long.toString(30 * 86_400_000L));
            assertThat(history.get("segment.ms").value()).isEqualTo(Long.toString(86_400_000L));
        }
    }

    @Test
    void gradientsAreKeptOneHourByDefault(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("provision-default-in", 1);
        StreamGruConfig config = TestSettings.config(
                TestSettings.sensorApp(kafka, "provision-default-" + System.nanoTime(), input, dir));

        try (Admin admin = kafka.newAdmin()) {
            TopicProvisioner.provision(admin, config);

            assertThat(describe(admin, config.gradientsTopic()).get("retention.ms").value()).isEqualTo("3600000");
            assertThat(describe(admin, config.modelTopic()).get("segment.bytes").value())
                    .as("the default largest version, 16 MiB").isEqualTo(Integer.toString(16 * 1024 * 1024));
        }
    }

    @Test
    void supersededVersionsLeaveTheModelTopicOnceItsSmallSegmentsRoll(KafkaTestCluster kafka) throws Exception {
        Map<String, String> settings = TestSettings.sensorApp(kafka, "compaction-" + System.nanoTime(), "unused", dir);
        settings.put("streaming.max.message.bytes", Integer.toString(1024 * 1024)); // 1 MiB segments
        settings.put("learner.hidden", "64");
        StreamGruConfig config = TestSettings.config(settings);
        int published = 24;
        try (ModelPublisher publisher = new ModelPublisher(config)) {
            ModelVersion v = ModelVersion.initial(config.learner(), config.configHash());
            // A version with an optimizer state of twice the parameters: about 320 KB, three to a segment.
            double[] moments = new double[1 + 2 * v.parameters().length];
            for (int i = 0; i < published; i++) {
                publisher.publishNext(new ModelVersion(0, v.configHash(), v.parameters(), v.featureStats(),
                        v.targetStats(), moments, i, i, 0, "test", Double.NaN), "test");
            }
        }

        // The broker's cleaner looks every 15 s (log.cleaner.backoff.ms); wait for it.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<ConsumerRecord<byte[], byte[]>> left = kafka.consumeAllUntilIdle(config.modelTopic(), Duration.ofSeconds(1));
        while (left.size() >= published && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            left = kafka.consumeAllUntilIdle(config.modelTopic(), Duration.ofSeconds(1));
        }
        System.out.printf("model topic: %d of %d versions left after compaction%n", left.size(), published);
        assertThat(left.size()).as("superseded versions compacted away").isLessThan(published);
        assertThat(ModelVersionCodec.version(left.get(left.size() - 1).value())).as("the newest stays")
                .isEqualTo(published);
        assertThat(new ModelTopicReader(config).summaries()).as("the history keeps every version")
                .hasSize(published);
    }

    private static Config describe(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    @Test
    void aModelTopicMadeWithTheBrokersDefaultsIsNamedWithTheFixAndAFreshOneIsNot(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("uncompacted-in", 1);
        StreamGruConfig fresh = TestSettings.config(TestSettings.sensorApp(kafka, "compacted-" + System.nanoTime(), input, dir));
        StreamGruConfig old = TestSettings.config(TestSettings.sensorApp(kafka, "uncompacted-" + System.nanoTime(), input, dir));

        try (Admin admin = kafka.newAdmin()) {
            TopicProvisioner.provision(admin, fresh);
            assertThat(TopicProvisioner.uncompactedModelTopic(admin, fresh)).isEmpty();

            // As a tool of an earlier release left it: created by the broker on a read, with its defaults.
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(old.modelTopic(), 1, (short) 1)))
                    .all().get();
            TopicProvisioner.provision(admin, old);
            assertThat(TopicProvisioner.uncompactedModelTopic(admin, old)).hasValueSatisfying(warning -> assertThat(warning)
                    .contains("model topic " + old.modelTopic() + " is not compacted only (cleanup.policy=delete")
                    .contains("kafka-configs --alter --entity-type topics --entity-name " + old.modelTopic())
                    .contains("cleanup.policy=compact,", "segment.ms=600000"));
            assertThat(describe(admin, old.modelTopic()).get("cleanup.policy").value())
                    .as("an existing topic is left as it is").isEqualTo("delete");

            // Compacted and deleted by age: the newest version still goes after retention.ms.
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, old.modelTopic());
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("cleanup.policy", "compact,delete"),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
            assertThat(TopicProvisioner.uncompactedModelTopic(admin, old)).hasValueSatisfying(warning -> assertThat(warning)
                    .contains("(cleanup.policy=compact,delete"));
        }
    }

    @Test
    void aReplicationFactorAboveTheBrokersIsASettingsMistakeSaidInOneLine(KafkaTestCluster kafka) {
        String input = kafka.newTopic("replicas-in", 1);
        Map<String, String> settings = TestSettings.sensorApp(kafka, "replicas-" + System.nanoTime(), input, dir);
        settings.put("streaming.replication.factor", "3");
        StreamGruConfig config = TestSettings.config(settings);

        try (Admin admin = kafka.newAdmin()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicProvisioner.provision(admin, config))
                    .isInstanceOf(io.streamgru.app.config.ConfigException.class)
                    .hasMessageStartingWith("streaming.replication.factor 3 cannot be had (")
                    .hasMessageEndingWith("): set it to at most the number of brokers");
        }
    }

    @Test
    void aMisspeltInputTopicIsNamedWithItsNearestNamesake(KafkaTestCluster kafka) {
        String input = kafka.newTopic("sensors-typo", 1);
        Map<String, String> settings = TestSettings.sensorApp(kafka, "typo-" + System.nanoTime(),
                input.substring(0, input.length() - 1), dir); // one character short
        StreamGruConfig config = TestSettings.config(settings);

        try (Admin admin = kafka.newAdmin()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicProvisioner.provision(admin, config))
                    .isInstanceOf(io.streamgru.app.config.ConfigException.class)
                    .hasMessageStartingWith("input topic(s) [" + config.input().topics().get(0) + "] not found: ")
                    .hasMessageEndingWith("; did you mean '" + input + "'?");
        }
    }
}
