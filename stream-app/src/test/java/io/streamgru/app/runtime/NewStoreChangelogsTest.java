package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StoreNames;
import io.streamgru.app.topology.StreamGruMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithKafka
class NewStoreChangelogsTest {

    @TempDir
    Path dir;

    @Test
    void theLearnerStateChangelogIsMadeAsKafkaStreamsWouldMakeItAndAnExistingOneIsLeftAlone(KafkaTestCluster kafka)
            throws Exception {
        Map<String, String> settings = TestSettings.sensorApp(kafka, "changelogs-" + System.nanoTime(), "in", dir);
        settings.put("kafka.topic.segment.ms", "123456"); // Kafka Streams' setting for its topics
        StreamGruConfig config = TestSettings.config(settings);
        Properties streams = new StreamGruApp(config, new StreamGruMetrics(new SimpleMeterRegistry())).streamsProperties();
        String topic = StoreNames.changelogTopic(config.appId(), StoreNames.LEARNER_STATE);
        assertThat(topic).isEqualTo(config.appId() + "-learner-state-changelog");

        try (Admin admin = kafka.newAdmin()) {
            assertThat(NewStoreChangelogs.create(admin, config, streams, 3)).containsExactly(topic);
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                    .as("one per learner task").hasSize(3);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config made = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(made.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(made.get("segment.ms").value()).isEqualTo("123456");

            assertThat(NewStoreChangelogs.create(admin, config, streams, 5)).as("it exists: nothing to make").isEmpty();
        }
    }
}
