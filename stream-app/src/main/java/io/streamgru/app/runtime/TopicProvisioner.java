package io.streamgru.app.runtime;

import io.streamgru.app.config.ConfigException;
import io.streamgru.app.config.StreamGruConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the topics StreamGRU uses exist with the right shape before the application starts:
 * the input topics must exist; forecasts and dead letters are created like the input (same
 * partitions unless configured); gradients get ONE partition (one optimizer); the model topic is
 * compacted with one partition; both allow messages as large as the model.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /** @return the number of input partitions */
    public static int provision(Admin admin, StreamGruConfig config) throws InterruptedException {
        try {
            Map<String, TopicDescription> inputs = admin.describeTopics(config.input().topics()).allTopicNames().get();
            int partitions = inputs.values().stream().mapToInt(d -> d.partitions().size()).max().orElse(1);
            Set<String> existing = admin.listTopics().names().get();
            int outputPartitions = config.streaming().outputPartitions() > 0
                    ? config.streaming().outputPartitions() : partitions;
            Optional<Short> replication = config.streaming().replicationFactor() > 0
                    ? Optional.of((short) config.streaming().replicationFactor()) : Optional.empty();
            String maxBytes = Integer.toString(config.streaming().maxMessageBytes());
            List<NewTopic> create = new ArrayList<>();
            add(create, existing, new NewTopic(config.output().topic(), Optional.of(outputPartitions), replication));
            add(create, existing, new NewTopic(config.deadLetterTopic(), Optional.of(outputPartitions), replication));
            add(create, existing, new NewTopic(config.gradientsTopic(), Optional.of(1), replication)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
            add(create, existing, new NewTopic(config.modelTopic(), Optional.of(1), replication)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
            if (!create.isEmpty()) {
                try {
                    admin.createTopics(create).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.info("created topics {}", create.stream().map(NewTopic::name).toList());
            }
            int gradientPartitions = admin.describeTopics(List.of(config.gradientsTopic())).allTopicNames().get()
                    .get(config.gradientsTopic()).partitions().size();
            if (gradientPartitions != 1) {
                throw new ConfigException("topic " + config.gradientsTopic() + " has " + gradientPartitions
                        + " partitions; it must have exactly 1 (one optimizer owns the model)");
            }
            return partitions;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                throw new ConfigException("input topic(s) " + config.input().topics() + " not found: "
                        + cause.getMessage());
            }
            throw new IllegalStateException("cannot set up topics: " + cause.getMessage(), cause);
        }
    }

    private static void add(List<NewTopic> create, Set<String> existing, NewTopic topic) {
        if (!existing.contains(topic.name())) {
            create.add(topic);
        }
    }
}
