package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.SensorReadings;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.DeadLetters;
import io.streamgru.app.topology.StreamGruMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead-lettering never stalls the learners: a record as large as the input topic allows reaches
 * the dead-letter topic (whole, or cut to what an operator's smaller dead-letter topic accepts),
 * a dead letter the broker refuses anyway is skipped, and the records after it are forecast.
 */
@WithKafka
class DeadLetterLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int BIG = 1_500_000;

    @TempDir
    Path stateDir;

    private StreamGruConfig config(KafkaTestCluster kafka, String name, String input) {
        Map<String, String> m = TestSettings.sensorApp(kafka, name + "-" + System.nanoTime(), input, stateDir);
        m.put("learner.hidden", "8");
        m.put("learner.chunk", "8");
        m.put("learner.window", "16");
        m.put("streaming.gradient.flush.ms", "500");
        return TestSettings.config(m);
    }

    /** 20 readings of 2 keys, a garbage value of {@code garbageBytes}, 20 more readings of each key. */
    private static List<KeyValue<byte[], byte[]>> readingsAround(int garbageBytes) {
        byte[] garbage = new byte[garbageBytes];
        new Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xff; // neither JSON nor the Confluent framing
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>(SensorReadings.json(2, 0, 20));
        records.add(KeyValue.pair("sensor-0".getBytes(StandardCharsets.UTF_8), garbage));
        records.addAll(SensorReadings.json(2, 20, 40));
        return records;
    }

    @Test
    void aRecordAsLargeAsTheInputAllowsIsDeadLetteredWholeWithoutReplacingAThread(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("dlq-big", 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2097152"));
        StreamGruConfig c = config(kafka, "dlq-big", input);
        List<KeyValue<byte[], byte[]>> records = readingsAround(BIG);
        kafka.produce(input, records);
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        ConsumerRecord<byte[], byte[]> dead;
        try (StreamGruApp app = new StreamGruApp(c, metrics)) {
            app.start();
            assertThat(kafka.consume(c.output().topic(), 80, WAIT)).as("every valid record forecast").hasSize(80);
            dead = kafka.consume(c.deadLetterTopic(), 1, WAIT).get(0);
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
        try (Admin admin = kafka.newAdmin()) {
            ConfigEntry limit = maxMessageBytesEntry(admin, c.deadLetterTopic());
            assertThat(limit.source()).as("set on the topic, not the broker's default (1 MiB out of the box)")
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(Integer.parseInt(limit.value())).as("the dead-letter topic takes what the input takes")
                    .isGreaterThanOrEqualTo(2097152);
        }
        assertThat(header(dead, DeadLetters.REASON)).isEqualTo("CORRUPT");
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("40");
        assertThat(dead.value()).isEqualTo(records.get(40).value);
        assertThat(dead.headers().lastHeader(DeadLetters.TRUNCATED)).isNull();
        assertThat(metrics.streamThreadsReplaced()).as("stream threads replaced").isZero();
        assertThat(metrics.deadLettersLost()).isZero();
    }

    @Test
    void aDeadLetterTooLargeForAnOperatorsSmallerTopicIsTruncatedWithItsOriginalSize(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("dlq-cut", 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2097152"));
        StreamGruConfig c = config(kafka, "dlq-cut", input);
        kafka.createTopic(c.deadLetterTopic(), 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "100000"));
        List<KeyValue<byte[], byte[]>> records = readingsAround(BIG);
        kafka.produce(input, records);
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        ConsumerRecord<byte[], byte[]> dead;
        try (StreamGruApp app = new StreamGruApp(c, metrics)) {
            app.start();
            assertThat(kafka.consume(c.output().topic(), 80, WAIT)).hasSize(80);
            dead = kafka.consume(c.deadLetterTopic(), 1, WAIT).get(0);
        }
        assertThat(header(dead, DeadLetters.REASON)).isEqualTo("CORRUPT");
        assertThat(header(dead, DeadLetters.TRUNCATED)).isEqualTo("true");
        assertThat(header(dead, DeadLetters.ORIGINAL_SIZE)).isEqualTo(Integer.toString(BIG));
        assertThat(dead.value().length).isBetween(90_000, 100_000);
        assertThat(dead.value()).isEqualTo(Arrays.copyOf(records.get(40).value, dead.value().length));
        assertThat(metrics.streamThreadsReplaced()).as("stream threads replaced").isZero();
    }

    @Test
    void aDeadLetterTheBrokerRefusesIsSkippedAndCountedAndTheRecordsAfterItAreForecast(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("dlq-refused", 1);
        StreamGruConfig c = config(kafka, "dlq-refused", input);
        kafka.createTopic(c.deadLetterTopic(), 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "100000"));
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        try (StreamGruApp app = new StreamGruApp(c, metrics); Admin admin = kafka.newAdmin()) {
            app.start();
            // Made smaller behind the running application's back: its dead letter no longer fits.
            ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, c.deadLetterTopic());
            admin.incrementalAlterConfigs(Map.of(dlq, List.<AlterConfigOp>of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2000"), AlterConfigOp.OpType.SET))))
                    .all().get();
            while (maxMessageBytes(admin, c.deadLetterTopic()) != 2000) {
                Thread.sleep(100);
            }
            kafka.produce(input, readingsAround(10_000));
            assertThat(kafka.consume(c.output().topic(), 80, WAIT)).as("every valid record forecast").hasSize(80);
            assertThat(kafka.consumeAllUntilIdle(c.output().topic(), Duration.ofSeconds(2))).as("exactly once").hasSize(80);
            assertThat(metrics.deadLettersLost()).isEqualTo(1);
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            // Under exactly-once the refused write aborts its transaction: one replacement, not a loop.
            assertThat(metrics.streamThreadsReplaced()).as("stream threads replaced").isLessThanOrEqualTo(1);
        }
        assertThat(kafka.consumeAllUntilIdle(c.deadLetterTopic(), Duration.ofSeconds(1))).isEmpty();
    }

    private static int maxMessageBytes(Admin admin, String topic) throws Exception {
        return Integer.parseInt(maxMessageBytesEntry(admin, topic).value());
    }

    private static ConfigEntry maxMessageBytesEntry(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Collection<ConfigEntry> entries = admin.describeConfigs(List.of(r)).all().get().get(r).entries();
        return entries.stream().filter(e -> e.name().equals(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)).findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
