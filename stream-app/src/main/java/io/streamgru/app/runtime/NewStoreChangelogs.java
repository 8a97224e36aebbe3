package io.streamgru.app.runtime;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.topology.StoreNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Creates the changelog topics of the stores this release added to the learners' application
 * ({@code learner-state}) before Kafka Streams starts, as Kafka Streams would create them: named
 * after the application id, compacted, record timestamps from the producer, one partition per
 * learner task, with the application's {@code replication.factor} and {@code topic.*} settings.
 *
 * <p>Why not leave it to Kafka Streams: it creates the changelogs of the group leader's topology.
 * In a rolling upgrade from a release without the store the leader may still run that release,
 * and this release's tasks would find no changelog to restore from and log to.
 */
final class NewStoreChangelogs {

    /** The stores whose changelogs are made here. */
    static final List<String> STORES = List.of(StoreNames.LEARNER_STATE);

    private NewStoreChangelogs() {
    }

    /**
     * @param streams    the learners' Kafka Streams properties (application id, replication factor, topic settings)
     * @param partitions the input partitions (one learner task each)
     * @return the topics created (those that existed are left as they are)
     */
    static List<String> create(Admin admin, Properties streams, int partitions) throws InterruptedException {
        String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Object factor = streams.getOrDefault(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
        short replication = Short.parseShort(String.valueOf(factor));
        Map<String, String> configs = new HashMap<>();
        configs.put("message.timestamp.type", "CreateTime");
        streams.stringPropertyNames().stream().filter(k -> k.startsWith(StreamsConfig.TOPIC_PREFIX))
                .forEach(k -> configs.put(k.substring(StreamsConfig.TOPIC_PREFIX.length()), streams.getProperty(k)));
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<String> created = new ArrayList<>();
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            for (String store : STORES) {
                String name = StoreNames.changelogTopic(applicationId, store);
                if (!existing.contains(name)) {
                    topics.add(new NewTopic(name, Optional.of(partitions),
                            replication > 0 ? Optional.of(replication) : Optional.empty()).configs(configs));
                    created.add(name);
                }
            }
            if (!topics.isEmpty()) {
                admin.createTopics(topics).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new EnvironmentException("cannot create the changelog topics " + created + " ("
                        + e.getCause().getMessage() + "): the principal needs CREATE on topics starting with "
                        + applicationId + "-", e.getCause());
            }
        }
        return created;
    }
}
