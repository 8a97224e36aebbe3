package io.streamgru.app.testing;

import io.streamgru.app.embedded.TopicCreation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;

/**
 * The Kafka cluster an integration test talks to (see {@link WithKafka}), with the chores every
 * such test has: creating topics, writing input, reading output.
 *
 * <p>It is shared by all test classes of the run, so topics come from {@link #newTopic} (unique
 * names) and consumer groups / Streams application ids should be unique per test too. Reads use
 * {@code read_committed}, so they show what a downstream consumer of an exactly-once app sees.
 */
public final class KafkaTestCluster {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_IDLE_WAIT = Duration.ofMinutes(2);

    private final KafkaBackend backend;
    private final Admin admin;
    private final TopicWriter writer;
    private final TopicReader reader;

    KafkaTestCluster(KafkaBackend backend) {
        this.backend = backend;
        try {
            this.admin = Admin.create(clientConfig());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        this.writer = new TopicWriter(backend.bootstrapServers());
        this.reader = new TopicReader(backend.bootstrapServers());
    }

    /** {@code host:port} of the broker, for clients and for kcat's {@code -b}. */
    public String bootstrapServers() {
        return backend.bootstrapServers();
    }

    /** What runs the broker: the in-JVM broker or a container image. */
    public String backendDescription() {
        return backend.description();
    }

    /** A new, modifiable client config holding just {@code bootstrap.servers}; add your own. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** A new admin client for this cluster; the caller closes it. */
    public Admin newAdmin() {
        return Admin.create(clientConfig());
    }

    /** Creates a topic named {@code prefix-<random>} and returns that name. */
    public String newTopic(String prefix, int partitions) {
        return newTopic(prefix, partitions, Map.of());
    }

    /** Creates a topic named {@code prefix-<random>} with topic configs and returns that name. */
    public String newTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        createTopic(name, partitions, configs);
        return name;
    }

    /**
     * Creates topic {@code name} (replication factor 1) and returns once the broker serves it.
     *
     * @throws IllegalStateException if it exists already or the broker refuses the configs
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        new TopicCreation(admin, ADMIN_TIMEOUT).create(name, partitions, configs);
    }

    /** Writes byte records in order (asynchronously, then one flush); returns once all are acked. */
    public void produce(String topic, List<KeyValue<byte[], byte[]>> records) {
        writer.write(topic, new ByteArraySerializer(), new ByteArraySerializer(), records);
    }

    /** Writes UTF-8 string records in order; returns once all are acked. */
    public void produceStrings(String topic, List<KeyValue<String, String>> records) {
        writer.write(topic, new StringSerializer(), new StringSerializer(), records);
    }

    /** Writes records with the given serializers in order; returns once all are acked. */
    public <K, V> void produce(String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer,
            List<KeyValue<K, V>> records) {
        writer.write(topic, keySerializer, valueSerializer, records);
    }

    /**
     * The first {@code count} committed records of {@code topic}, from the beginning.
     *
     * @throws AssertionError if fewer arrive within {@code timeout}
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count, Duration timeout) {
        return reader.read(topic, count, timeout, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** As {@link #consume}, decoding keys and values as UTF-8 strings. */
    public List<ConsumerRecord<String, String>> consumeStrings(String topic, int count, Duration timeout) {
        return reader.read(topic, count, timeout, new StringDeserializer(), new StringDeserializer());
    }

    /** As {@link #consume}, with the given deserializers. */
    public <K, V> List<ConsumerRecord<K, V>> consume(String topic, int count, Duration timeout,
            Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return reader.read(topic, count, timeout, keyDeserializer, valueDeserializer);
    }

    /**
     * Every committed record of {@code topic}, read from the beginning until none has arrived for
     * {@code idle} (at most two minutes in all). Use it to show that nothing more came.
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeAllUntilIdle(String topic, Duration idle) {
        return reader.readUntilIdle(topic, idle, MAX_IDLE_WAIT,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** As {@link #consumeAllUntilIdle}, decoding keys and values as UTF-8 strings. */
    public List<ConsumerRecord<String, String>> consumeAllStringsUntilIdle(String topic, Duration idle) {
        return reader.readUntilIdle(topic, idle, MAX_IDLE_WAIT,
                new StringDeserializer(), new StringDeserializer());
    }

    /** Stops the broker. Not public: the cluster is shared, no test may stop it for the others. */
    void stop() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            backend.close();
        }
    }
}
