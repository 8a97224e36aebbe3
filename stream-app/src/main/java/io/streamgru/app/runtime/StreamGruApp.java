package io.streamgru.app.runtime;

import io.streamgru.app.config.RegistrySettings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.input.RecordDecoder;
import io.streamgru.app.model.ConfigHash;
import io.streamgru.app.topology.AvroForecastEncoder;
import io.streamgru.app.topology.ForecastEncoder;
import io.streamgru.app.topology.JsonForecastEncoder;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.topology.StreamGruTopology;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import io.streamgru.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running StreamGRU instance: sets up its topics, builds the topology from the configuration
 * and runs it with Kafka Streams until closed.
 */
public final class StreamGruApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamGruApp.class);

    private final StreamGruConfig config;
    private final StreamGruMetrics metrics;
    private final String configHash;
    private final Supplier<RecordDecoder> decoders;
    private final Supplier<ForecastEncoder> encoders;
    private final SchemaRegistryClient registry;
    private KafkaStreams streams;

    /** The application reading and writing the formats its configuration names. */
    public StreamGruApp(StreamGruConfig config, StreamGruMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.configHash = ConfigHash.of(config.learner(), config.input().features(), config.input().target());
        boolean avro = config.input().format() == StreamGruConfig.Format.AVRO
                || config.output().format() == StreamGruConfig.Format.AVRO;
        Map<String, Object> serdeConfig = RegistrySettings.serdeConfig(config.registry());
        this.registry = avro ? SerdeConfig.from(serdeConfig).createClient() : null;
        this.decoders = InputDecoders.of(config, registry);
        this.encoders = config.output().format() == StreamGruConfig.Format.AVRO
                ? () -> new AvroForecastEncoder(new ConfluentAvroSerializer<>(registry, serdeConfig, false),
                        new ConfluentAvroSerializer<>(registry, serdeConfig, true))
                : JsonForecastEncoder::new;
    }

    public String configHash() {
        return configHash;
    }

    /** The topology for {@code inputPartitions} input partitions. */
    public Topology topology(int inputPartitions) {
        return StreamGruTopology.build(config, configHash, inputPartitions, decoders, encoders, metrics);
    }

    /** Creates missing topics, then starts processing (returns at once). */
    public void start() throws InterruptedException {
        start((now, before) -> { });
    }

    /** Like {@link #start()}, telling {@code listener} of every state change of the Kafka Streams instance. */
    public void start(KafkaStreams.StateListener listener) throws InterruptedException {
        int inputPartitions;
        try (Admin admin = Admin.create(adminProperties())) {
            inputPartitions = TopicProvisioner.provision(admin, config);
        }
        streams = new KafkaStreams(topology(inputPartitions), streamsProperties());
        // A failure that is not the record's fault (e.g. the registry briefly unreachable): replace the
        // thread, which resumes from the last commit, instead of stopping the instance.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it (processing resumes from the last commit)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener(listener);
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops processing, committing what was processed, and leaves the consumer group so the
     * remaining (or restarted) instances take over at once instead of after the session timeout;
     * waits at most {@code timeout}.
     */
    public void close(Duration timeout) {
        if (streams != null) {
            streams.close(CloseOptions.timeout(timeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            streams = null;
        }
        if (registry != null) {
            registry.close();
        }
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>(config.kafka());
        p.keySet().retainAll(AdminClientConfig.configNames());
        return p;
    }

    /** Kafka Streams settings: StreamGRU's, then every {@code kafka.*} setting on top. */
    Properties streamsProperties() {
        Properties p = new Properties();
        int maxBytes = config.streaming().maxMessageBytes();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.appId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.streaming().processingGuarantee());
        // Kafka 5 will do this by default; Kafka 4 warns at every start until it is set.
        p.put("processing.exception.handler.global.enabled", "true");
        // Model versions and gradient batches are as large as the model.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), Math.max(maxBytes, 52_428_800));
        p.putAll(config.kafka());
        return p;
    }
}
