package io.streamgru.app.config;

import io.streamgru.model.online.LearnerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one typed configuration of a streaming StreamGRU application, built from {@link Settings}
 * (file, environment, flags). Unknown keys and invalid values fail here, before anything connects.
 *
 * <p>Keys: {@code app.id}, {@code model.name}; {@code input.*} (what to read); {@code output.*};
 * {@code learner.*} (see {@link LearnerSettings}); {@code streaming.*} (how the topology runs);
 * {@code kafka.*} (any Kafka client setting, passed through: security, SASL, TLS, …);
 * {@code schema.registry.*} (the registry client's settings, passed through); {@code http.*} (the
 * metrics and health endpoint).
 */
public record StreamGruConfig(String appId, String modelName, Input input, Output output, LearnerConfig learner,
                              Streaming streaming, Map<String, String> kafka, Map<String, String> registry,
                              Http http) {

    /** Record formats StreamGRU reads and writes. */
    public enum Format { JSON, AVRO }

    /**
     * What the input topics hold and where each value comes from.
     *
     * @param topics   input topics
     * @param format   json or avro (any schema; values by field path)
     * @param key      {@code null} = the record key is the series id; else a field path
     * @param time     {@code null} = the record timestamp is the event time; else a field path
     * @param features feature field paths (dots for nested fields)
     * @param target   target field path
     */
    public record Input(List<String> topics, Format format, String key, String time, List<String> features,
                        String target) {
    }

    /** Where forecasts go. */
    public record Output(String topic, Format format) {
    }

    /**
     * How the topology runs.
     *
     * @param maxStaleness        gradient batches computed on a model more than this many versions old are dropped
     * @param targetStaleness     the optimizer gathers more samples per step while batches arrive more than this
     *                            many versions behind (0: a fixed step)
     * @param optimizerSamples    samples the optimizer gathers (from any tasks) per step; 0 = the learner window
     *                            times the input partitions, i.e. about one batch from every task per step
     * @param gradientFlushMs     a task publishes its partial gradient window after this much wall-clock time
     * @param processingGuarantee Kafka Streams processing.guarantee
     * @param replicationFactor   replication of the topics StreamGRU creates (-1: the broker's default)
     * @param maxMessageBytes     max.message.bytes of the model and gradient topics (models over 1 MiB)
     * @param outputPartitions    partitions of the forecast and dead-letter topics when StreamGRU creates them (-1: as the input)
     * @param historyIntervalMs   the optimizer copies a version to the model-history topic at most this often
     *                            (versions published by replay, import and rollback always go there)
     * @param gradientPrecision   how gradient sums travel to the optimizer (float32 halves the bytes; sums stay float64)
     * @param batchSamples        samples a learner task sums into one gradient batch before sending it, at least; 0 =
     *                            the learner window. Each batch is as large as the model, so fewer, fuller batches
     *                            cut broker traffic; the optimizer's step size is set separately, and while it gathers
     *                            many samples per step a task sends more per batch (topology.GradientBatchTarget)
     * @param gradientsRetentionHours how long the gradients topic keeps batches (and version requests) when
     *                            StreamGRU creates it: a batch is useless once more than max.staleness versions old
     * @param failoverFencing     under exactly-once, end the open transaction of an instance as soon as its group drops it
     *                            (runtime.DeadInstanceFencer) instead of at its transaction timeout
     */
    public record Streaming(int maxStaleness, int targetStaleness, int optimizerSamples, long gradientFlushMs,
                            String processingGuarantee, int replicationFactor, int maxMessageBytes, int outputPartitions,
                            long historyIntervalMs, GradientPrecision gradientPrecision, int batchSamples,
                            int gradientsRetentionHours, boolean failoverFencing) {
    }

    /**
     * The HTTP endpoint of {@code /metrics}, {@code /health} and {@code /ready}.
     *
     * @param bind             address to listen on
     * @param port             port; 0 = a free one (printed at start), -1 = no endpoint
     * @param user             basic-auth user name for {@code /metrics} and {@code /}; null = no authentication
     * @param password         its password (required with a user)
     * @param keystore         a PKCS12 or JKS key store holding the server's key and certificate: HTTPS; null = HTTP
     * @param keystorePassword the key store's password, also the key's
     */
    public record Http(String bind, int port, String user, String password, String keystore, String keystorePassword,
                       List<String> dashboardKeys) {

        public Http {
            dashboardKeys = List.copyOf(dashboardKeys);
        }

        /** Settings whose dashboard charts the first keys it sees. */
        public Http(String bind, int port, String user, String password, String keystore, String keystorePassword) {
            this(bind, port, user, password, keystore, keystorePassword, List.of());
        }

        /** Whether an endpoint is to be started at all. */
        public boolean enabled() {
            return port >= 0;
        }

        /** Whether requests to the protected paths need basic authentication. */
        public boolean authenticates() {
            return user != null;
        }

        /** Whether the endpoint speaks HTTPS. */
        public boolean tls() {
            return keystore != null;
        }

        @Override
        public String toString() { // no password in logs or exception messages
            return "Http[bind=" + bind + ", port=" + port + ", user=" + user + ", keystore=" + keystore + "]";
        }
    }

    /** Port of the HTTP endpoint when {@code http.port} is not set. */
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** Measured: 64-sample batches put the end-to-end rate at 49-53 % of a pass-through, 16-sample ones 35-49 %. */
    static final int DEFAULT_BATCH_SAMPLES = 64;

    private static final Set<String> KEYS = Set.of("app.id", "model.name", "input.topics", "input.format",
            "input.key", "input.time", "input.features", "input.target", "output.topic", "output.format",
            "streaming.gradients.retention.hours", "streaming.failover.fencing",
            "streaming.max.staleness", "streaming.target.staleness", "streaming.optimizer.samples", "streaming.gradient.flush.ms", "streaming.processing.guarantee",
            "streaming.replication.factor", "streaming.max.message.bytes", "streaming.output.partitions",
            "streaming.model.history.interval.ms", "streaming.gradient.precision", "streaming.gradient.batch.samples",
            "http.port", "http.bind", "http.auth.user", "http.auth.password", "http.tls.keystore",
            "http.tls.keystore.password", "http.dashboard.keys");

    public static StreamGruConfig from(Settings s) {
        return withDefaultsOf(s, LearnerConfig.DefaultsOf.THIS_RELEASE);
    }

    /**
     * As {@link #from(Settings)}, with the learner settings left unset resolved as {@code release}
     * resolved them: what a deployment whose model was trained then must keep
     * ({@code runtime.DeployedDefaults}).
     */
    public static StreamGruConfig withDefaultsOf(Settings s, LearnerConfig.DefaultsOf release) {
        rejectUnknownKeys(s);
        String appId = s.string("app.id", "streamgru");
        if (!appId.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException("setting 'app.id' = '" + appId + "' (from " + s.sourceOf("app.id")
                    + ") may contain only letters, digits, '.', '_' and '-': it names topics");
        }
        List<String> features = s.list("input.features");
        Input input = new Input(requireNonEmpty(s, "input.topics"),
                Format.valueOf(s.choice("input.format", "json", "json", "avro").toUpperCase()),
                fieldOrNull(s.string("input.key", "record-key"), "record-key"),
                fieldOrNull(s.string("input.time", "record-timestamp"), "record-timestamp"),
                features, s.required("input.target"));
        Output output = new Output(s.string("output.topic", appId + "-forecasts"),
                Format.valueOf(s.choice("output.format", input.format().name().toLowerCase(), "json", "avro")
                        .toUpperCase()));
        Streaming streaming = new Streaming(
                positive(s, "streaming.max.staleness", 50),
                nonNegative(s, "streaming.target.staleness", 4),
                nonNegative(s, "streaming.optimizer.samples", 0),
                positive(s, "streaming.gradient.flush.ms", 5000),
                s.choice("streaming.processing.guarantee", StreamsConfig.EXACTLY_ONCE_V2,
                        StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                s.integer("streaming.replication.factor", -1),
                positive(s, "streaming.max.message.bytes", 16 * 1024 * 1024),
                s.integer("streaming.output.partitions", -1),
                positive(s, "streaming.model.history.interval.ms", 60_000),
                GradientPrecision.of(s.choice("streaming.gradient.precision", "float32", "float32", "float64")),
                nonNegative(s, "streaming.gradient.batch.samples", DEFAULT_BATCH_SAMPLES),
                positive(s, "streaming.gradients.retention.hours", 1),
                s.bool("streaming.failover.fencing", true));
        Map<String, String> kafka = s.withPrefix("kafka.");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("missing required setting 'kafka.bootstrap.servers' "
                    + "(or the environment variable STREAMGRU_KAFKA_BOOTSTRAP_SERVERS)");
        }
        Map<String, String> registry = s.withPrefix("schema.registry.");
        if ((input.format() == Format.AVRO || output.format() == Format.AVRO) && !registry.containsKey("url")) {
            throw new ConfigException("Avro input or output needs 'schema.registry.url'");
        }
        return new StreamGruConfig(appId, s.string("model.name", appId), input, output,
                LearnerSettings.toConfig(s, features.size(), release), streaming, kafka, registry, http(s));
    }

    private static Http http(Settings s) {
        int port = s.integer("http.port", DEFAULT_HTTP_PORT);
        if (port < -1 || port > 65535) {
            throw new ConfigException("setting 'http.port' = " + port + " (from " + s.sourceOf("http.port")
                    + ") must be a port (1-65535), 0 for a free one or -1 for no HTTP endpoint");
        }
        String user = s.string("http.auth.user", null);
        String password = s.string("http.auth.password", null);
        if ((user == null) != (password == null)) {
            throw new ConfigException("settings 'http.auth.user' and 'http.auth.password' go together: set both "
                    + "for basic authentication, or neither");
        }
        String keystore = s.string("http.tls.keystore", null);
        String keystorePassword = s.string("http.tls.keystore.password", null);
        if (keystore == null && keystorePassword != null) {
            throw new ConfigException("setting 'http.tls.keystore.password' (from "
                    + s.sourceOf("http.tls.keystore.password") + ") needs 'http.tls.keystore'");
        }
        return new Http(s.string("http.bind", "0.0.0.0"), port, user, password, keystore,
                keystorePassword == null ? "" : keystorePassword, s.list("http.dashboard.keys"));
    }

    /** The topic gradient batches travel on (one partition: one optimizer). */
    public String gradientsTopic() {
        return appId + "-gradients";
    }

    /** The compacted topic of model versions. */
    /**
     * The hash of what this application's model numbers mean (its shape, inputs and target); every
     * version, gradient batch and forecast carries it, and numbers of different hashes never mix.
     */
    public String configHash() {
        return ConfigHash.of(learner(), input().features(), input().target());
    }

    public String modelTopic() {
        return appId + "-model";
    }

    /**
     * Model versions kept for listing, export and rollback (the model topic is compacted, so it keeps
     * only the newest): one partition, deleted by age, keyed by model name.
     */
    public String modelHistoryTopic() {
        return appId + "-model-history";
    }

    /** The application id of the optimizer's own Kafka Streams application. */
    public String optimizerAppId() {
        return appId + "-optimizer";
    }

    /** Where invalid records go, with the reason in headers. */
    public String deadLetterTopic() {
        return appId + "-dlq";
    }

    private static String fieldOrNull(String value, String sentinel) {
        return value.equals(sentinel) ? null : value;
    }

    private static List<String> requireNonEmpty(Settings s, String key) {
        List<String> v = s.list(key);
        if (v.isEmpty()) {
            throw new ConfigException("missing required setting '" + key + "'");
        }
        return v;
    }

    private static int positive(Settings s, String key, int defaultValue) {
        int v = s.integer(key, defaultValue);
        if (v < 1) {
            throw new ConfigException("setting '" + key + "' = " + v + " (from " + s.sourceOf(key) + ") must be >= 1");
        }
        return v;
    }

    private static int nonNegative(Settings s, String key, int defaultValue) {
        int v = s.integer(key, defaultValue);
        if (v < 0) {
            throw new ConfigException("setting '" + key + "' = " + v + " (from " + s.sourceOf(key) + ") must be >= 0");
        }
        return v;
    }

    /** Samples a learner task sends per gradient batch. */
    public int gradientBatchSamples() {
        return streaming.batchSamples() > 0 ? streaming.batchSamples() : learner.window();
    }

    /** Samples per optimizer step for {@code inputPartitions} learner tasks. */
    public int optimizerSamples(int inputPartitions) {
        return streaming.optimizerSamples() > 0 ? streaming.optimizerSamples()
                : learner.window() * Math.max(1, inputPartitions);
    }

    /** Every key a user may set, as written in a settings file (Kafka's under {@code kafka.}). */
    private static List<String> knownKeys(Set<String> kafkaKeys) {
        List<String> all = new ArrayList<>(KEYS);
        LearnerSettings.KEYS.forEach(k -> all.add("learner." + k));
        RegistrySettings.KEYS.forEach(k -> all.add("schema.registry." + k));
        kafkaKeys.forEach(k -> all.add("kafka." + k));
        return all;
    }

    private static void rejectUnknownKeys(Settings s) {
        Set<String> kafkaKeys = new TreeSet<>();
        kafkaKeys.addAll(StreamsConfig.configDef().names());
        kafkaKeys.addAll(ProducerConfig.configNames());
        kafkaKeys.addAll(ConsumerConfig.configNames());
        kafkaKeys.addAll(AdminClientConfig.configNames());
        List<String> unknown = new ArrayList<>();
        for (String key : s.all().keySet()) {
            boolean known;
            if (key.startsWith("kafka.")) {
                String k = key.substring("kafka.".length());
                // Kafka's own prefixes (producer., consumer., admin., main.consumer., …) and SASL/SSL extras pass.
                if (k.startsWith("optimizer.")) {
                    k = k.substring("optimizer.".length()); // for the optimizer's application only
                }
                known = kafkaKeys.contains(k) || k.startsWith("producer.") || k.startsWith("consumer.")
                        || k.startsWith("admin.") || k.startsWith("main.consumer.") || k.startsWith("restore.consumer.")
                        || k.startsWith("global.consumer.") || k.startsWith("topic.") || k.startsWith("sasl.")
                        || k.startsWith("ssl.");
            } else if (key.startsWith("schema.registry.")) {
                known = RegistrySettings.KEYS.contains(key.substring("schema.registry.".length()));
            } else if (key.startsWith("learner.")) {
                known = LearnerSettings.KEYS.contains(key.substring("learner.".length()));
            } else {
                known = KEYS.contains(key);
            }
            if (!known) {
                String suggestion = KeySuggestion.nearest(key, knownKeys(kafkaKeys))
                        .map(k -> "; did you mean '" + k + "'?").orElse("");
                unknown.add("'" + key + "' (from " + s.sourceOf(key) + suggestion + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; Kafka client settings go under 'kafka.', registry settings under 'schema.registry.'");
        }
    }
}
