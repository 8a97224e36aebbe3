package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.topics.ChangelogTopics;
import io.streamgru.app.topology.StreamGruMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings StreamGRU chooses for its learners, and that users can override. */
class StreamGruAppPropertiesTest {

    private static StreamGruApp app(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("app.id", "props");
        m.put("kafka.bootstrap.servers", "localhost:9");
        m.put("input.topics", "in");
        m.put("input.target", "y");
        m.putAll(extra);
        return new StreamGruApp(StreamGruConfig.from(Settings.of(m, "test")), new StreamGruMetrics(new SimpleMeterRegistry()));
    }

    @Test
    void exactlyOnceLearnersCommitEvery50MillisecondsUnlessTold() {
        assertThat(app(Map.of()).streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(50L);
        assertThat(app(Map.of("kafka.commit.interval.ms", "100")).streamsProperties()
                .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("100");
    }

    @Test
    void atLeastOnceKeepsKafkasCommitInterval() {
        assertThat(app(Map.of("streaming.processing.guarantee", "at_least_once")).streamsProperties())
                .doesNotContainKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    @Test
    void aKilledInstancesWorkMovesAfterSixSecondsUnlessToldAndTransactionsKeepKafkaStreamsTimeout() {
        var defaults = app(Map.of()).streamsProperties();
        assertThat(defaults.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(6_000);
        assertThat(defaults.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo(1_500);
        assertThat(defaults).doesNotContainKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        var told = app(Map.of("kafka.session.timeout.ms", "30000", "kafka.transaction.timeout.ms", "60000"))
                .streamsProperties();
        assertThat(told.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo("30000");
        assertThat(told.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).isEqualTo("60000");
        assertThat(app(Map.of("streaming.processing.guarantee", "at_least_once")).streamsProperties())
                .doesNotContainKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
    }

    @Test
    void kafkaStreamsChangelogsAreReplicatedAsStreamGrusOtherTopicsUnlessKafkasOwnSettingSaysOtherwise() {
        Map<String, Map<String, String>> cases = Map.of(
                "broker default", Map.of(),
                "streaming", Map.of("streaming.replication.factor", "3"),
                "kafka's", Map.of("streaming.replication.factor", "3", "kafka.replication.factor", "2"));
        cases.forEach((name, settings) -> {
            StreamGruApp app = app(settings);
            Object told = app.streamsProperties().get(StreamsConfig.REPLICATION_FACTOR_CONFIG);
            // The changelogs StreamGRU makes itself (ChangelogTopics) get what Kafka Streams gives its own.
            assertThat(told == null ? -1 : Integer.parseInt(told.toString())).as(name)
                    .isEqualTo(ChangelogTopics.replicationFactor(app.config()));
        });
        assertThat(app(Map.of("streaming.replication.factor", "3")).streamsProperties()
                .get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
    }
}
