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
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the topics StreamGRU uses exist with the right shape before the application starts:
 * the input topics must exist; forecasts and dead letters are created like the input (same
 * partitions unless configured); gradients get ONE partition (one optimizer); the model topic is
 * compacted with one partition, its history topic deleted by age; all three allow messages as
 * large as the model.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    /** How long the model-history topic keeps versions unless the operator changes the topic. */
    static final String HISTORY_RETENTION_MS = Long.toString(java.time.Duration.ofDays(30).toMillis());

    private TopicProvisioner() {
    }

    /** @return the number of input partitions */
    public static int provision(Admin admin, StreamGruConfig config) throws InterruptedException {
        try {
            Map<String, TopicDescription> inputs;
            try {
                inputs = describe(admin, config.input().topics());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new ConfigException("input topic(s) " + config.input().topics() + " not found: "
                            + e.getCause().getMessage());
                }
                throw e;
            }
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
            addModelTopics(create, existing, config, replication);
            create(admin, create);
            int gradientPartitions = describe(admin, List.of(config.gradientsTopic()))
                    .get(config.gradientsTopic()).partitions().size();
            if (gradientPartitions != 1) {
                throw new ConfigException("topic " + config.gradientsTopic() + " has " + gradientPartitions
                        + " partitions; it must have exactly 1 (one optimizer owns the model)");
            }
            return partitions;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set up topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Creates the model and model-history topics if missing: what tools that publish versions
     * (replay, import, rollback) need, even before the application first ran.
     */
    public static void provisionModelTopics(Admin admin, StreamGruConfig config) throws InterruptedException {
        try {
            List<NewTopic> create = new ArrayList<>();
            addModelTopics(create, admin.listTopics().names().get(), config,
                    config.streaming().replicationFactor() > 0
                            ? Optional.of((short) config.streaming().replicationFactor()) : Optional.empty());
            create(admin, create);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set up the model topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void addModelTopics(List<NewTopic> create, Set<String> existing, StreamGruConfig config,
                                       Optional<Short> replication) {
        String maxBytes = Integer.toString(config.streaming().maxMessageBytes());
        add(create, existing, new NewTopic(config.modelTopic(), Optional.of(1), replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
        add(create, existing, new NewTopic(config.modelHistoryTopic(), Optional.of(1), replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, HISTORY_RETENTION_MS,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
    }

    private static void create(Admin admin, List<NewTopic> create) throws InterruptedException, ExecutionException {
        if (create.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(create).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        LOG.info("created topics {}", create.stream().map(NewTopic::name).toList());
    }

    /**
     * Topic descriptions. A topic created moments ago may not be served by every broker yet, so
     * "unknown topic" is retried for a few seconds before it counts as missing.
     */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void add(List<NewTopic> create, Set<String> existing, NewTopic topic) {
        if (!existing.contains(topic.name())) {
            create.add(topic);
        }
    }
}
