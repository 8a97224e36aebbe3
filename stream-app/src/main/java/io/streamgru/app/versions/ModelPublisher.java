package io.streamgru.app.versions;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.topics.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a model version from outside the live optimizer (replay, import, rollback), keeping the
 * model's history one line of versions.
 *
 * <p>While the optimizer's application has members, the optimizer is the one writer of versions:
 * the publisher sends a {@link VersionRequest} on the gradients topic (which only the optimizer
 * reads), and the optimizer publishes the contents as its next version in the transaction that
 * consumes the request, so no number is published twice and no copy is orphaned; the publisher
 * waits for that version on the history topic. While no optimizer runs, the publisher numbers the
 * version after the newest and writes both model topics itself; an optimizer that starts later
 * adopts it (see {@code OptimizerProcessor}). Should an optimizer start in that very instant and
 * publish the same number, the first copy on the topic wins everywhere and {@link #publishNext}
 * fails, so the caller can run again.
 */
public final class ModelPublisher implements AutoCloseable {

    private final StreamGruConfig config;
    private final ModelTopicReader reader;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Clock clock;
    private final Duration requestWait;

    /**
     * How long a live optimizer may take to publish a requested version: a commit interval normally;
     * up to a session timeout and a restore when its instance has just died and another takes over.
     */
    static final Duration REQUEST_WAIT = Duration.ofMinutes(2);

    public ModelPublisher(StreamGruConfig config) {
        this(config, Clock.systemUTC());
    }

    public ModelPublisher(StreamGruConfig config, Clock clock) {
        this(config, clock, REQUEST_WAIT);
    }

    /** @param requestWait how long to wait for a live optimizer to publish a requested version */
    public ModelPublisher(StreamGruConfig config, Clock clock, Duration requestWait) {
        this.config = config;
        this.requestWait = requestWait;
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
        boolean optimizerRuns;
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            TopicProvisioner.provisionModelTopics(admin, config);
            optimizerRuns = ApplicationGroup.hasMembers(admin, config.optimizerAppId());
        }
        return optimizerRuns ? requestFromOptimizer(contents, origin) : publishDirectly(contents, origin);
    }

    /** The optimizer publishes {@code contents} as its next version; waits for it on the history topic. */
    private ModelVersion requestFromOptimizer(ModelVersion contents, String origin) {
        VersionRequest request = new VersionRequest(UUID.randomUUID().toString(), origin, contents);
        Map<TopicPartition, Long> from = reader.historyEnd();
        send(config.gradientsTopic(), VersionRequestCodec.encode(request), "the request to publish");
        return reader.awaitRequested(request.id(), from, requestWait).orElseThrow(() -> new IllegalStateException(
                "the optimizer of app '" + config.appId() + "' has not published the " + origin + " within "
                        + requestWait.toSeconds() + " s; the request is queued on " + config.gradientsTopic()
                        + " and becomes the next version when the optimizer runs again. Check with 'model list'"
                        + " before running the command again."));
    }

    private ModelVersion publishDirectly(ModelVersion contents, String origin) {
        long newest = reader.latest().map(ModelVersion::version).orElse(0L);
        ModelVersion next = contents.renumbered(newest + 1, origin, clock.millis());
        byte[] value = ModelVersionCodec.encode(next);
        String what = "version " + next.version();
        send(config.modelHistoryTopic(), value, what);
        send(config.modelTopic(), value, what);
        if (reader.copiesOnModelTopic(next.version()) > 1) {
            throw new IllegalStateException("version " + next.version() + " of model '" + config.modelName()
                    + "' was published by the live optimizer at the same moment; the optimizer's copy stands."
                    + " Run the command again.");
        }
        return next;
    }

    private void send(String topic, byte[] value, String what) {
        byte[] key = config.modelName().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish " + what + " of model '" + config.modelName()
                    + "' to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + what, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
