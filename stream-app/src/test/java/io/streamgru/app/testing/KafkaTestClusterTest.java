package io.streamgru.app.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * The shared test broker and its helpers, as every integration test relies on them. They hold on
 * either backend (container or in-JVM).
 */
@WithKafka
class KafkaTestClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final KafkaTestCluster kafka;

    KafkaTestClusterTest(KafkaTestCluster kafka) {
        this.kafka = kafka;
    }

    @Test
    void injectsTheOneSharedClusterWhereverAsked(KafkaTestCluster injectedAgain) {
        assertThat(injectedAgain).isSameAs(kafka);
    }

    @Test
    void stringRecordsRoundTripInOrder() {
        String topic = kafka.newTopic("round-trip", 1);
        List<KeyValue<String, String>> sent = IntStream.range(0, 100)
                .mapToObj(i -> KeyValue.pair("sensor-" + i % 3, "reading " + i))
                .toList();

        kafka.produceStrings(topic, sent);

        List<ConsumerRecord<String, String>> received = kafka.consumeStrings(topic, 100, TIMEOUT);
        assertThat(received).extracting(r -> KeyValue.pair(r.key(), r.value()))
                .containsExactlyElementsOf(sent);
    }

    @Test
    void byteRecordsRoundTripIncludingNullKeys() {
        String topic = kafka.newTopic("bytes", 1);
        byte[] value = {0, 1, 2, (byte) 0xff};

        kafka.produce(topic, List.of(KeyValue.pair(null, value), KeyValue.pair(bytes("k"), new byte[0])));

        List<ConsumerRecord<byte[], byte[]>> received = kafka.consume(topic, 2, TIMEOUT);
        assertThat(received.get(0).key()).isNull();
        assertThat(received.get(0).value()).containsExactly(value);
        assertThat(received.get(1).key()).containsExactly(bytes("k"));
        assertThat(received.get(1).value()).isEmpty();
    }

    @Test
    void readsAllPartitionsAndStopsWhenTheTopicFallsIdle() {
        String topic = kafka.newTopic("idle", 3);
        List<KeyValue<String, String>> sent = IntStream.range(0, 30)
                .mapToObj(i -> KeyValue.pair("key-" + i, "value-" + i))
                .toList();
        kafka.produceStrings(topic, sent);

        List<ConsumerRecord<String, String>> received = kafka.consumeAllStringsUntilIdle(topic, IDLE);

        assertThat(received).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
        assertThat(received).extracting(r -> KeyValue.pair(r.key(), r.value()))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void consumingMoreThanWasWrittenFailsWithWhatArrived() {
        String topic = kafka.newTopic("short", 1);
        kafka.produceStrings(topic, List.of(KeyValue.pair("a", "only one")));

        assertThatThrownBy(() -> kafka.consumeStrings(topic, 2, Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 2")
                .hasMessageContaining("got 1")
                .hasMessageContaining("a=only one");
    }

    @Test
    void consumingAMissingTopicFailsInsteadOfCreatingIt() {
        assertThatThrownBy(() -> kafka.consumeStrings("no-such-topic-x", 1, Duration.ofSeconds(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no-such-topic-x does not exist");
    }

    @Test
    void readCommittedConsumersSeeCommittedTransactionsOnly() {
        String topic = kafka.newTopic("transactions", 1);
        try (KafkaProducer<String, String> producer = transactionalProducer("tx-" + topic)) {
            producer.initTransactions();
            inTransaction(producer, topic, List.of("c1", "c2", "c3"), true);
            inTransaction(producer, topic, List.of("aborted1", "aborted2"), false);
            inTransaction(producer, topic, List.of("c4"), true);
        }

        List<ConsumerRecord<String, String>> received = kafka.consumeAllStringsUntilIdle(topic, IDLE);

        assertThat(received).extracting(ConsumerRecord::value).containsExactly("c1", "c2", "c3", "c4");
    }

    @Test
    void acceptsAFiveMebibyteRecordOnATopicWithMaxMessageBytesRaised() {
        String topic = kafka.newTopic("model-snapshots", 1, Map.of("max.message.bytes", "6291456"));
        byte[] snapshot = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(snapshot);

        kafka.produce(topic, List.of(KeyValue.pair(bytes("model"), snapshot)));

        ConsumerRecord<byte[], byte[]> received = kafka.consume(topic, 1, TIMEOUT).get(0);
        assertThat(received.value()).hasSize(snapshot.length);
        assertThat(received.value()).isEqualTo(snapshot);
    }

    @Test
    void rejectsARecordOverTheTopicsMaxMessageBytes() {
        String topic = kafka.newTopic("small-records", 1, Map.of("max.message.bytes", "1048576"));
        byte[] twoMebibytes = new byte[2 * 1024 * 1024];

        assertThatThrownBy(() -> kafka.produce(topic, List.of(KeyValue.pair(null, twoMebibytes))))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(RecordTooLargeException.class);
    }

    private KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // A broker without single-node transaction settings fails here, in initTransactions().
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static void inTransaction(KafkaProducer<String, String> producer, String topic,
            List<String> values, boolean commit) {
        producer.beginTransaction();
        values.forEach(v -> producer.send(new ProducerRecord<>(topic, "k", v)));
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
