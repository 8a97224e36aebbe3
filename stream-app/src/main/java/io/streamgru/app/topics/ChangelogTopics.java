package io.streamgru.app.topics;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.StreamGruConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The learners' store changelogs as Kafka Streams makes them: compacted, record timestamps from the
 * producer, with the learners' {@code replication.factor} and {@code topic.*} settings. For the
 * changelogs StreamGRU makes itself (a store a rolling upgrade adds; replay's warm start, which
 * runs before the application ever has) so they come out as Kafka Streams' own would.
 *
 * <p>Replication: {@code kafka.replication.factor} if set, else {@code streaming.replication.factor}
 * (the replication of every other topic StreamGRU creates), else the broker's default. The learners'
 * Kafka Streams settings carry the same value, so the changelogs Kafka Streams creates agree.
 */
public final class ChangelogTopics {

    private ChangelogTopics() {
    }

    /** The replication of the learners' changelogs; -1: the broker's default. */
    public static int replicationFactor(StreamGruConfig config) {
        String told = config.kafka().get(StreamsConfig.REPLICATION_FACTOR_CONFIG);
        return told != null ? Integer.parseInt(told.trim()) : config.streaming().replicationFactor();
    }

    /** The topic settings Kafka Streams gives a store's changelog under {@code config}. */
    static Map<String, String> topicConfigs(StreamGruConfig config) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        config.kafka().forEach((k, v) -> {
            if (k.startsWith(StreamsConfig.TOPIC_PREFIX)) {
                configs.put(k.substring(StreamsConfig.TOPIC_PREFIX.length()), v);
            }
        });
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        return configs;
    }

    /**
     * Creates those of {@code topics} that do not exist, {@code partitions} each (one per learner
     * task); an existing one is left as it is.
     *
     * @return the topics created
     * @throws EnvironmentException if the broker refuses (no permission, too few brokers, a topic policy)
     */
    public static List<String> createMissing(Admin admin, StreamGruConfig config, List<String> topics, int partitions)
            throws InterruptedException {
        int factor = replicationFactor(config);
        Optional<Short> replication = factor > 0 ? Optional.of((short) factor) : Optional.empty();
        Map<String, String> configs = topicConfigs(config);
        List<String> created = new ArrayList<>();
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(partitions), replication).configs(configs));
                    created.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new EnvironmentException("cannot create the changelog topics " + created + " ("
                        + e.getCause().getMessage() + "): check the principal's CREATE permission, the replication factor"
                        + " against the brokers, and the cluster's topic policy", e.getCause());
            }
        }
        return created;
    }

    /**
     * Those of the changelogs {@code topics} that exist with fewer replicas than {@link #replicationFactor}
     * asks for, as "topic (n replicas)": made
     * before the setting was, e.g. by an earlier release at the broker's default. Neither Kafka
     * Streams nor StreamGRU changes an existing topic, so only the operator can raise them. Empty
     * when the factor is the broker's default.
     */
    public static List<String> underReplicated(Admin admin, StreamGruConfig config, List<String> topics)
            throws InterruptedException, ExecutionException {
        int factor = replicationFactor(config);
        if (factor <= 0) {
            return List.of();
        }
        Set<String> existing = admin.listTopics().names().get();
        List<String> changelogs = topics.stream().filter(existing::contains).toList();
        List<String> under = new ArrayList<>();
        if (changelogs.isEmpty()) {
            return under;
        }
        admin.describeTopics(changelogs).allTopicNames().get().forEach((topic, d) -> {
            int replicas = d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(factor);
            if (replicas < factor) {
                under.add(topic + " (" + replicas + (replicas == 1 ? " replica)" : " replicas)"));
            }
        });
        under.sort(null);
        return under;
    }
}
