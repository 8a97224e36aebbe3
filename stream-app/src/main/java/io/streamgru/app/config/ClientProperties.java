package io.streamgru.app.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings for the plain Kafka clients StreamGRU's tools use (replay, model lifecycle): the
 * {@code kafka.*} settings the client knows (security, SASL, TLS pass through), then those under
 * the client's own prefix ({@code kafka.consumer.*}, {@code kafka.producer.*}, {@code kafka.admin.*})
 * on top, as Kafka Streams applies them. Consumers never create a topic they look for (Kafka's
 * {@code allow.auto.create.topics} is on by default; it is forced off here, as Kafka Streams forces it
 * for its own consumers): a tool reading a topic that does not exist yet would otherwise leave it
 * behind with the broker's defaults, e.g. a model topic that is not compacted, before StreamGRU
 * could create it right.
 */
public final class ClientProperties {

    private ClientProperties() {
    }

    public static Map<String, Object> admin(StreamGruConfig config) {
        return select(config.kafka(), AdminClientConfig.configNames(), "admin.");
    }

    public static Map<String, Object> consumer(StreamGruConfig config) {
        Map<String, Object> p = select(config.kafka(), ConsumerConfig.configNames(), "consumer.");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // whatever kafka.* says, as Kafka Streams does
        return p;
    }

    public static Map<String, Object> producer(StreamGruConfig config) {
        return select(config.kafka(), ProducerConfig.configNames(), "producer.");
    }

    private static Map<String, Object> select(Map<String, String> kafka, Set<String> known, String prefix) {
        Map<String, Object> p = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (known.contains(k)) {
                p.put(k, v);
            }
        });
        kafka.forEach((k, v) -> {
            if (k.startsWith(prefix) && known.contains(k.substring(prefix.length()))) {
                p.put(k.substring(prefix.length()), v);
            }
        });
        return p;
    }
}
