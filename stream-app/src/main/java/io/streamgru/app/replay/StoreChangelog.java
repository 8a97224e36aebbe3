package io.streamgru.app.replay;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.topics.ChangelogTopics;
import io.streamgru.app.topology.StoreNames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes entries of one of the learner's stores where the live learner restores them from: the
 * store's changelog topic, {@code <appId>-<store>-changelog} (key = a UTF-8 string, value = the
 * store's bytes), into the partition of the learner task that owns them (= an input partition).
 * For {@code key-state}: series id → SeriesStateCodec bytes, in the partition the key's records came
 * from; for {@code learner-state}: {@link io.streamgru.app.topology.LearnerTaskState#KEY} → that task's
 * state, in every partition. Creates the topic when missing, as Kafka Streams would
 * ({@link ChangelogTopics}), one partition per input partition. The live application must be stopped meanwhile: it restores the topic when its tasks start.
 */
final class StoreChangelog implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private long written;
    private volatile Exception failure;

    /** @param store the store's name ({@link StoreNames}) */
    StoreChangelog(StreamGruConfig config, String store, int partitions) throws InterruptedException {
        this.topic = StoreNames.changelogTopic(config.appId(), store);
        ensureTopic(config, partitions);
        Map<String, Object> p = ClientProperties.producer(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1); // one value per key: volume is small
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(p);
        producer.partitionsFor(topic); // metadata (leaders) before the first send
    }

    String topic() {
        return topic;
    }

    private void ensureTopic(StreamGruConfig config, int partitions) throws InterruptedException {
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            ChangelogTopics.createMissing(admin, config, List.of(topic), partitions);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                    if (d.partitions().size() != partitions) {
                        throw new IllegalStateException(topic + " has " + d.partitions().size()
                                + " partitions, the input " + partitions + ": it cannot hold the learner's state");
                    }
                    // A topic created a moment ago may not have its leaders yet; writing then can wedge
                    // an idempotent producer's sequence numbers.
                    if (d.partitions().stream().allMatch(p -> p.leader() != null)) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(topic + " has partitions without a leader");
                    }
                    Thread.sleep(100);
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause().getMessage(),
                                e.getCause());
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    void write(String key, int partition, byte[] value) {
        producer.send(new ProducerRecord<>(topic, partition, key, value), (meta, e) -> {
            if (e != null && failure == null) {
                failure = e;
            }
        });
        written++;
    }

    long written() {
        return written;
    }

    /** Waits until every state is acknowledged; fails if one was not. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
        if (failure != null) {
            throw new IllegalStateException("writing to " + topic + " failed: "
                    + failure.getMessage(), failure);
        }
    }
}
