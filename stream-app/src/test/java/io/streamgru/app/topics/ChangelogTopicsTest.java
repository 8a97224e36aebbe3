package io.streamgru.app.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store changelogs StreamGRU makes itself, read back from a real (one-broker) cluster. */
@WithKafka
class ChangelogTopicsTest {

    @TempDir
    Path dir;

    private StreamGruConfig config(KafkaTestCluster kafka, Map<String, String> extra) {
        Map<String, String> settings = TestSettings.sensorApp(kafka, "changelogs-" + System.nanoTime(), "in", dir);
        settings.putAll(extra);
        return TestSettings.config(settings);
    }

    @Test
    void replicationIsKafkasSettingElseTheOneOfStreamGrusOtherTopicsElseTheBrokers(KafkaTestCluster kafka) {
        assertThat(ChangelogTopics.replicationFactor(config(kafka, Map.of()))).isEqualTo(-1);
        assertThat(ChangelogTopics.replicationFactor(config(kafka, Map.of("streaming.replication.factor", "3"))))
                .isEqualTo(3);
        assertThat(ChangelogTopics.replicationFactor(config(kafka,
                Map.of("streaming.replication.factor", "3", "kafka.replication.factor", "2")))).isEqualTo(2);
    }

    @Test
    void aMissingChangelogIsMadeCompactedWithTheLearnersTopicSettingsAndAnExistingOneIsLeftAlone(
            KafkaTestCluster kafka) throws Exception {
        StreamGruConfig config = config(kafka, Map.of("streaming.replication.factor", "1",
                "kafka.topic.segment.ms", "123456", // Kafka Streams' setting for the topics it makes
                "kafka.optimizer.topic.segment.ms", "654321")); // the optimizer's application's only
        String topic = config.appId() + "-key-state-changelog";

        try (Admin admin = kafka.newAdmin()) {
            assertThat(ChangelogTopics.createMissing(admin, config, List.of(topic), 3)).containsExactly(topic);
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                    .as("one per learner task").hasSize(3);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config made = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(made.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(made.get("message.timestamp.type").value()).isEqualTo("CreateTime");
            assertThat(made.get("segment.ms").value()).isEqualTo("123456");

            assertThat(ChangelogTopics.createMissing(admin, config, List.of(topic), 5)).as("nothing to make").isEmpty();
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
    }

    @Test
    void aReplicationTheClusterCannotGiveIsRefusedInOneLineNamingTheTopic(KafkaTestCluster kafka) {
        StreamGruConfig config = config(kafka, Map.of("streaming.replication.factor", "3"));
        String topic = config.appId() + "-learner-state-changelog";

        try (Admin admin = kafka.newAdmin()) {
            assertThatThrownBy(() -> ChangelogTopics.createMissing(admin, config, List.of(topic), 2))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessageContaining(topic)
                    .hasMessageContaining("replication factor");
        }
    }

    @Test
    void changelogsMadeWithFewerReplicasThanNowConfiguredAreNamedForTheOperator(KafkaTestCluster kafka)
            throws Exception {
        StreamGruConfig before = config(kafka, Map.of()); // the broker's default: 1 replica here
        String changelog = before.appId() + "-key-state-changelog";
        String other = before.appId() + "-forecasts";
        StreamGruConfig now = TestSettings.config(Map.of("app.id", before.appId(),
                "kafka.bootstrap.servers", kafka.bootstrapServers(), "input.topics", "in", "input.target", "y",
                "streaming.replication.factor", "2"));

        try (Admin admin = kafka.newAdmin()) {
            ChangelogTopics.createMissing(admin, before, List.of(changelog, other), 2);
            String missing = before.appId() + "-optimizer-optimizer-state-changelog";
            assertThat(ChangelogTopics.underReplicated(admin, before, List.of(changelog, missing)))
                    .as("nothing was asked of the replication").isEmpty();
            assertThat(ChangelogTopics.underReplicated(admin, now, List.of(changelog, missing)))
                    .as("only the changelogs asked about that exist").containsExactly(changelog + " (1 replica)");
        }
    }
}
