package io.streamgru.app.runtime;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import io.streamgru.app.input.RecordDecoder;
import io.streamgru.app.model.ConfigHash;
import io.streamgru.app.topology.ForecastEncoder;
import io.streamgru.app.topology.JsonForecastEncoder;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.topology.StreamGruTopology;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * One running StreamGRU instance: sets up its topics, builds the topology from the configuration
 * and runs it with Kafka Streams until closed.
 */
public final class StreamGruApp implements AutoCloseable {

    private final StreamGruConfig config;
    private final StreamGruMetrics metrics;
    private final String configHash;
    private final Supplier<RecordDecoder> decoders;
    private final Supplier<ForecastEncoder> encoders;
    private KafkaStreams streams;

    public StreamGruApp(StreamGruConfig config, StreamGruMetrics metrics) {
        this(config, metrics, jsonDecoders(config), JsonForecastEncoder::new);
    }

    public StreamGruApp(StreamGruConfig config, StreamGruMetrics metrics, Supplier<RecordDecoder> decoders,
                        Supplier<ForecastEncoder> encoders) {
        this.config = config;
        this.metrics = metrics;
        this.configHash = ConfigHash.of(config.learner(), config.input().features(), config.input().target());
        this.decoders = decoders;
        this.encoders = encoders;
    }

    private static Supplier<RecordDecoder> jsonDecoders(StreamGruConfig config) {
        InputFields fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        return () -> new JsonRecordDecoder(fields);
    }

    public String configHash() {
        return configHash;
    }

    public Topology topology() {
        return StreamGruTopology.build(config, configHash, decoders, encoders, metrics);
    }

    /** Creates missing topics, then starts processing (returns at once). */
    public void start() throws InterruptedException {
        try (Admin admin = Admin.create(adminProperties())) {
            TopicProvisioner.provision(admin, config);
        }
        streams = new KafkaStreams(topology(), streamsProperties());
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

    /** Stops processing, committing what was processed; waits at most {@code timeout}. */
    public void close(Duration timeout) {
        if (streams != null) {
            streams.close(timeout);
            streams = null;
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
        // Model versions and gradient batches are as large as the model.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), Math.max(maxBytes, 52_428_800));
        p.putAll(config.kafka());
        return p;
    }
}
