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
final class TopicWriter {

    private final String bootstrapServers;

    TopicWriter(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Sends {@code records} in order and returns once the broker has acknowledged all of them.
     *
     * @throws IllegalStateException with the first send failure, after the rest were attempted
     */
    <K, V> void write(String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer,
            List<KeyValue<K, V>> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
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
