package io.streamgru.app.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from the beginning as a downstream consumer of a transactional app would: with
 * {@code isolation.level=read_committed}, so aborted and still-open transactions stay invisible.
 *
 * <p>It assigns all partitions itself instead of joining a consumer group: no rebalance to wait
 * for and no offsets committed, so reading never changes what the next read sees.
 */
public final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(100);

    private final String bootstrapServers;

    public TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The first {@code count} records of {@code topic} (in poll order: per partition in offset
     * order).
     *
     * @throws AssertionError if fewer arrive within {@code timeout}, listing those that did
     */
    public <K, V> List<ConsumerRecord<K, V>> read(String topic, int count, Duration timeout,
            Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = open(topic, keyDeserializer, valueDeserializer)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(POLL).forEach(received::add);
            }
        }
        if (received.size() < count) {
            throw new AssertionError("expected " + count + " committed records from topic " + topic
                    + " within " + timeout + " but got " + received.size() + ": " + summary(received));
        }
        return List.copyOf(received.subList(0, count));
    }

    /**
     * All records of {@code topic} that arrive until none has come for {@code idle}; gives up
     * waiting for quiet after {@code maxWait} and returns what it has.
     */
    public <K, V> List<ConsumerRecord<K, V>> readUntilIdle(String topic, Duration idle, Duration maxWait,
            Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = open(topic, keyDeserializer, valueDeserializer)) {
            long deadline = System.nanoTime() + maxWait.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < idle.toNanos() && System.nanoTime() < deadline) {
                int before = received.size();
                consumer.poll(POLL).forEach(received::add);
                if (received.size() > before) {
                    quietSince = System.nanoTime();
                }
            }
        }
        return List.copyOf(received);
    }

    private <K, V> KafkaConsumer<K, V> open(String topic, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Reading a misspelt topic must fail, not create it.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keyDeserializer, valueDeserializer);
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new AssertionError("topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        } catch (RuntimeException | AssertionError e) {
            consumer.close();
            throw e;
        }
    }

    private static String summary(List<? extends ConsumerRecord<?, ?>> records) {
        int shown = Math.min(records.size(), 10);
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shown; i++) {
            ConsumerRecord<?, ?> r = records.get(i);
            text.append(i == 0 ? "" : ", ").append(r.partition()).append('@').append(r.offset())
                    .append(' ').append(describe(r.key())).append('=').append(describe(r.value()));
        }
        return text.append(records.size() > shown ? ", ...]" : "]").toString();
    }

    private static String describe(Object value) {
        return value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
    }
}
