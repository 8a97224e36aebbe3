package io.streamgru.app.testing;

import io.streamgru.app.embedded.SingleNodeBrokerSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;

/** Writes records to a topic the fast way: all sends asynchronous, then one flush. */
public final class TopicWriter {

    private final String bootstrapServers;

    public TopicWriter(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Sends {@code records} in order and returns once the broker has acknowledged all of them.
     *
     * @throws IllegalStateException with the first send failure, after the rest were attempted
     */
    public <K, V> void write(String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer,
            List<KeyValue<K, V>> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                // One request in flight: the in-JVM broker can answer NOT_LEADER_OR_FOLLOWER for a batch it
                // appended to a just-created partition; with 5 in flight the retry of that batch then fails
                // forever with OUT_OF_ORDER_SEQUENCE_NUMBER (seen under load), with 1 it is a duplicate.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, SingleNodeBrokerSettings.MAX_MESSAGE_BYTES);
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(config, keySerializer, valueSerializer)) {
            for (KeyValue<K, V> record : records) {
                // Waiting on each send would cost a linger.ms per record (5 ms by default in 4.x).
                producer.send(new ProducerRecord<>(topic, record.key, record.value), (metadata, e) -> {
                    if (e != null) {
                        firstFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (firstFailure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed: " + firstFailure.get(),
                    firstFailure.get());
        }
    }
}
