package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StoreNames;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

@WithKafka
class NewStoreChangelogsTest {

    @Test
    void theLearnerStateChangelogIsMadeAsKafkaStreamsWouldMakeItAndAnExistingOneIsLeftAlone(KafkaTestCluster kafka)
            throws Exception {
        Properties streams = new Properties();
        String appId = "changelogs-" + System.nanoTime();
        streams.put("application.id", appId);
        streams.put("replication.factor", "1");
        streams.put("topic.segment.ms", "123456"); // kafka.topic.segment.ms: Kafka Streams' setting for its topics
        String topic = StoreNames.changelogTopic(appId, StoreNames.LEARNER_STATE);
        assertThat(topic).isEqualTo(appId + "-learner-state-changelog");

        try (Admin admin = kafka.newAdmin()) {
            assertThat(NewStoreChangelogs.create(admin, streams, 3)).containsExactly(topic);
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                    .as("one per learner task").hasSize(3);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("message.timestamp.type").value()).isEqualTo("CreateTime");
            assertThat(config.get("segment.ms").value()).isEqualTo("123456");

            assertThat(NewStoreChangelogs.create(admin, streams, 5)).as("it exists: nothing to make").isEmpty();
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
    }
}
