package io.streamgru.app.versions;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the model topics of a deployment that has none yet (a first start, `model list` on a new app). */
@WithKafka
class ModelTopicReaderTest {

    @TempDir
    Path dir;

    @Test
    void readingAModelNeverPublishedFindsNoneAndLeavesNoTopicBehind(KafkaTestCluster kafka) throws Exception {
        StreamGruConfig config = TestSettings.config(
                TestSettings.sensorApp(kafka, "unpublished-" + System.nanoTime(), "in", dir));
        try (Admin admin = kafka.newAdmin()) {
            // The broker creates a topic a client asks for (Kafka's default), so this test can fail.
            autoCreate(config, admin, config.appId() + "-probe-before");

            ModelTopicReader reader = new ModelTopicReader(config, Duration.ofSeconds(10));
            assertThat(reader.latest()).isEmpty();
            assertThat(reader.summaries()).isEmpty();

            // A creation the reader asked for would be done by the time a later one is (the controller
            // takes them in order). Else the model topic would exist with the broker's defaults (not
            // compacted, 1 MB records), and the start, finding it, would not create it as it must be.
            autoCreate(config, admin, config.appId() + "-probe-after");
            assertThat(admin.listTopics().names().get())
                    .doesNotContain(config.modelTopic(), config.modelHistoryTopic());
        }
    }

    /** Asks for {@code topic} as a consumer that lets the broker create it, and waits until it exists. */
    private static void autoCreate(StreamGruConfig config, Admin admin, String topic) throws Exception {
        Map<String, Object> creating = new HashMap<>(ClientProperties.consumer(config));
        creating.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, true);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(creating, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!admin.listTopics().names().get().contains(topic)) {
                assertThat(System.nanoTime()).as("the broker created " + topic).isLessThan(deadline);
                c.partitionsFor(topic, Duration.ofSeconds(2));
                Thread.sleep(100);
            }
        }
    }
}
