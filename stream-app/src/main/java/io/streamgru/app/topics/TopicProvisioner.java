package io.streamgru.app.topics;

import io.streamgru.app.config.ConfigException;
import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.KeySuggestion;
import io.streamgru.app.config.StreamGruConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
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
    /** How much larger than the largest input record the dead-letter topic is made: its headers' room. */
    static final int DEAD_LETTER_HEADROOM = 64 * 1024;
    /** How long the model-history topic keeps versions unless the operator changes the topic. */
    static final Duration HISTORY_RETENTION = Duration.ofDays(30);
    /** History segments roll daily, so versions go within a day of their 30. */
    static final Duration HISTORY_SEGMENT = Duration.ofDays(1);
    /**
     * Segments of the gradients and model topics roll at least this often: retention deletes and
     * compaction cleans only rolled segments, and Kafka's default (7 days) would keep every batch
     * and every version that long.
     */
    static final Duration SEGMENT_ROLL = Duration.ofMinutes(10);
    /** Compaction of the model topic starts once 10 % of it is superseded versions (Kafka's default: 50 %). */
    static final String MODEL_DIRTY_RATIO = "0.1";
    /** Kafka's smallest segment.bytes. */
    static final int MIN_SEGMENT_BYTES = 1024 * 1024;

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
                            + e.getCause().getMessage() + suggestion(admin, config.input().topics()));
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
            // The dead-letter topic takes any record the input takes, with room for the dead letter's headers.
            add(create, existing, new NewTopic(config.deadLetterTopic(), Optional.of(outputPartitions), replication)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            Long.toString(Math.min(Integer.MAX_VALUE,
                                    (long) maxMessageBytes(admin, config.input().topics()) + DEAD_LETTER_HEADROOM)))));
            add(create, existing, new NewTopic(config.gradientsTopic(), Optional.of(1), replication)
                    .configs(gradientsTopicConfigs(config)));
            addModelTopics(create, existing, config, replication);
            create(admin, create);
            warnIfModelTopicUncompacted(admin, config);
            int gradientPartitions = describe(admin, List.of(config.gradientsTopic()))
                    .get(config.gradientsTopic()).partitions().size();
            if (gradientPartitions != 1) {
                throw new ConfigException("topic " + config.gradientsTopic() + " has " + gradientPartitions
                        + " partitions; it must have exactly 1 (one optimizer owns the model)");
            }
            return partitions;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidReplicationFactorException) {
                throw new ConfigException("streaming.replication.factor " + config.streaming().replicationFactor()
                        + " cannot be had (" + e.getCause().getMessage() + "): set it to at most the number of brokers");
            }
            throw new EnvironmentException("cannot set up StreamGRU's topics (" + e.getCause().getMessage()
                    + "): the principal needs DESCRIBE and CREATE on the topics (see README, Topics)", e.getCause());
        }
    }

    /** "; did you mean 'x'?" for the first missing topic with a near namesake on the cluster, else "". */
    private static String suggestion(Admin admin, List<String> wanted) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get();
            for (String topic : wanted) {
                if (!existing.contains(topic)) {
                    Optional<String> near = KeySuggestion.nearest(topic, existing);
                    if (near.isPresent()) {
                        return "; did you mean '" + near.get() + "'?";
                    }
                }
            }
        } catch (ExecutionException e) {
            // no list, no suggestion
        }
        return "";
    }

    /**
     * The largest record the dead-letter topic accepts ({@code max.message.bytes}, its own or the
     * broker's default). StreamGRU never changes a topic that exists already: if an operator made the
     * dead-letter topic smaller than the input, larger dead letters are truncated to fit (see
     * {@code DeadLetters}), and this says so once at startup.
     */
    public static int deadLetterMaxBytes(Admin admin, StreamGruConfig config) throws InterruptedException {
        try {
            int input = maxMessageBytes(admin, config.input().topics());
            int dlq = maxMessageBytes(admin, List.of(config.deadLetterTopic()));
            if (dlq < (long) input + DEAD_LETTER_HEADROOM) {
                LOG.warn("dead-letter topic {} accepts records up to {} bytes, the input up to {}: larger dead letters are "
                        + "truncated (headers {}, {}); raise its max.message.bytes to keep them whole",
                        config.deadLetterTopic(), dlq, input, "streamgru.value.truncated", "streamgru.value.original.size");
            }
            return dlq;
        } catch (ExecutionException e) {
            throw new EnvironmentException("cannot read the topics' configuration (" + e.getCause().getMessage()
                    + "): the principal needs DESCRIBE_CONFIGS on the input and dead-letter topics", e.getCause());
        }
    }

    /** The largest {@code max.message.bytes} of these topics (effective: the topic's own, else the broker's). */
    private static int maxMessageBytes(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        int max = 0;
        for (Config c : admin.describeConfigs(resources).all().get().values()) {
            ConfigEntry entry = c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                max = Math.max(max, Integer.parseInt(entry.value()));
            }
        }
        return max;
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
        add(create, existing, new NewTopic(config.modelTopic(), Optional.of(1), replication)
                .configs(modelTopicConfigs(config)));
        add(create, existing, new NewTopic(config.modelHistoryTopic(), Optional.of(1), replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(HISTORY_RETENTION.toMillis()),
                        TopicConfig.SEGMENT_MS_CONFIG, Long.toString(HISTORY_SEGMENT.toMillis()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(config.streaming().maxMessageBytes()))));
    }

    /** A check, not a requirement: without DESCRIBE_CONFIGS on the model topic the start goes on. */
    private static void warnIfModelTopicUncompacted(Admin admin, StreamGruConfig config) throws InterruptedException {
        try {
            uncompactedModelTopic(admin, config).ifPresent(LOG::warn);
        } catch (ExecutionException e) {
            LOG.debug("cannot read the configuration of {}: {}", config.modelTopic(), e.getCause().toString());
        }
    }

    /**
     * What is wrong with a model topic that is not compacted only (with {@code delete} too it still drops
     * versions by age), if it is not: one made with the broker's
     * defaults, as the tools of releases before 2026-12-05 could leave it by reading it before the
     * first start. Its versions then go after {@code retention.ms}, the newest too when training
     * pauses that long. StreamGRU changes no existing topic, so this names the operator's fix.
     */
    static Optional<String> uncompactedModelTopic(Admin admin, StreamGruConfig config)
            throws InterruptedException, ExecutionException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, config.modelTopic());
        Config topic = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        ConfigEntry policy = topic.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy == null || policy.value() == null || policy.value().equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            return Optional.empty();
        }
        ConfigEntry retention = topic.get(TopicConfig.RETENTION_MS_CONFIG);
        String settings = modelTopicConfigs(config).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        return Optional.of("model topic " + config.modelTopic() + " is not compacted only (cleanup.policy=" + policy.value()
                + ", retention.ms=" + (retention == null ? "?" : retention.value()) + "): its versions are deleted by age,"
                + " the newest too if training pauses that long (as when made with the broker's defaults). Fix it with"
                + " kafka-configs --alter --entity-type topics --entity-name " + config.modelTopic()
                + " --add-config " + settings);
    }

    /**
     * The gradients topic: deleted after {@code streaming.gradients.retention.hours} (a batch is
     * useless seconds after it was sent; a version request waits there at most until an optimizer
     * runs), segments rolled every 10 minutes so deletion keeps up.
     */
    static Map<String, String> gradientsTopicConfigs(StreamGruConfig config) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(Duration.ofHours(config.streaming().gradientsRetentionHours()).toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(SEGMENT_ROLL.toMillis()),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(config.streaming().maxMessageBytes()));
    }

    /**
     * The model topic: compacted (only the newest version per model matters), in segments as small
     * as the largest version allows (a record batch must fit one segment) and rolled every 10
     * minutes, cleaned at 10 % superseded versions: old versions go soon, and a starting instance
     * reads the newest version plus at most a segment of recent ones instead of every version.
     */
    static Map<String, String> modelTopicConfigs(StreamGruConfig config) {
        int maxBytes = config.streaming().maxMessageBytes();
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(Math.max(maxBytes, MIN_SEGMENT_BYTES)),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(SEGMENT_ROLL.toMillis()),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, MODEL_DIRTY_RATIO,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxBytes));
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
