package io.streamgru.app.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' production exception handler for the learners: a dead letter that the broker (or
 * the producer) refuses is logged, counted ({@link StreamGruMetrics#deadLettersLost()}) and
 * skipped, never fatal; a failed write to any other topic is handled as Kafka's default handler
 * does (retry what is retriable, else fail: forecasts and gradients must not be dropped).
 *
 * <p>Under exactly-once a refused write still aborts the transaction (the producer cannot commit
 * one with a failed send), so the stream thread is replaced once and the record processed again;
 * {@link DeadLetters} remembers it and does not try to write its dead letter a second time. Under
 * at-least-once processing simply goes on.
 *
 * <p>Configured by class name, so its collaborators come through the Streams configuration:
 * {@link #DEAD_LETTERS} and {@link #METRICS} hold the instance's objects.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    /** Streams configuration key of the instance's {@link DeadLetters}. */
    public static final String DEAD_LETTERS = "streamgru.dead.letters";
    /** Streams configuration key of the instance's {@link StreamGruMetrics}. */
    public static final String METRICS = "streamgru.metrics";
    /** Streams configuration key of the dead-letter topic's name. */
    public static final String TOPIC = "streamgru.dead.letter.topic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private final DefaultProductionExceptionHandler otherTopics = new DefaultProductionExceptionHandler();
    private DeadLetters deadLetters;
    private StreamGruMetrics metrics;
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        otherTopics.configure(configs);
        deadLetters = (DeadLetters) configs.get(DEAD_LETTERS);
        metrics = (StreamGruMetrics) configs.get(METRICS);
        topic = (String) configs.get(TOPIC);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (topic == null || !topic.equals(record.topic())) {
            return otherTopics.handleError(context, record, exception);
        }
        // The source is read from the dead letter's own headers: the context is the task's *current*
        // record by the time the producer's callback runs.
        String sourceTopic = header(record, DeadLetters.SOURCE_TOPIC);
        String partition = header(record, DeadLetters.SOURCE_PARTITION);
        String offset = header(record, DeadLetters.SOURCE_OFFSET);
        if (deadLetters != null && sourceTopic != null && partition != null && offset != null) {
            deadLetters.writeFailed(sourceTopic, Integer.parseInt(partition), Long.parseLong(offset));
        }
        if (metrics != null) {
            metrics.deadLettersLost.increment();
        }
        LOG.error("could not write the dead letter of {}-{}@{} ({}, {} bytes) to {}: {}; it is skipped, not retried",
                sourceTopic, partition, offset, header(record, DeadLetters.REASON),
                record.value() == null ? 0 : record.value().length, topic, exception.toString());
        return Response.resume();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return otherTopics.handleSerializationError(context, record, exception, origin);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
