package io.streamgru.app.versions;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.topics.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a model version from outside the live optimizer (replay, import, rollback): numbered
 * after the newest published version, written to {@code <app>-model} (which every instance follows
 * and the live optimizer adopts, see {@code OptimizerProcessor}) and to {@code <app>-model-history}.
 *
 * <p>Numbers stay one linear sequence because the optimizer adopts a published version that is
 * newer than its own. If the live optimizer publishes the same number in the same instant, the
 * version that reached the topic first wins everywhere; {@link #publishNext} detects that and
 * fails, so the caller can simply run again.
 */
public final class ModelPublisher implements AutoCloseable {

    private final StreamGruConfig config;
    private final ModelTopicReader reader;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Clock clock;

    public ModelPublisher(StreamGruConfig config) {
        this(config, Clock.systemUTC());
    }

    public ModelPublisher(StreamGruConfig config, Clock clock) {
        this.config = config;
        this.reader = new ModelTopicReader(config);
        this.clock = clock;
        Map<String, Object> p = ClientProperties.producer(config);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.streaming().maxMessageBytes());
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The reader this publisher numbers versions by. */
    public ModelTopicReader reader() {
        return reader;
    }

    /**
     * Publishes {@code contents} (its version number and creation time are replaced) as the newest
     * published version + 1, made by {@code origin}.
     *
     * @return the version as published
     * @throws IllegalArgumentException if {@code contents} belongs to another configuration
     * @throws IllegalStateException    if another publisher used the same number at the same time
     */
    public ModelVersion publishNext(ModelVersion contents, String origin) throws InterruptedException {
        String expected = config.configHash();
        if (!contents.configHash().equals(expected)) {
            throw new IllegalArgumentException("the model belongs to configuration " + contents.configHash()
                    + ", app '" + config.appId() + "' runs " + expected
                    + " (learner settings, features or target differ)");
        }
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            TopicProvisioner.provisionModelTopics(admin, config);
        }
        long newest = reader.latest().map(ModelVersion::version).orElse(0L);
        ModelVersion next = contents.renumbered(newest + 1, origin, clock.millis());
        byte[] key = config.modelName().getBytes(StandardCharsets.UTF_8);
        byte[] value = ModelVersionCodec.encode(next);
        try {
            producer.send(new ProducerRecord<>(config.modelHistoryTopic(), key, value)).get();
            producer.send(new ProducerRecord<>(config.modelTopic(), key, value)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish version " + next.version() + " of model '"
                    + config.modelName() + "': " + e.getCause().getMessage(), e.getCause());
        }
        if (reader.copiesOnModelTopic(next.version()) > 1) {
            throw new IllegalStateException("version " + next.version() + " of model '" + config.modelName()
                    + "' was published by the live optimizer at the same moment; the optimizer's copy stands."
                    + " Run the command again.");
        }
        return next;
    }

    @Override
    public void close() {
        producer.close();
    }
}
