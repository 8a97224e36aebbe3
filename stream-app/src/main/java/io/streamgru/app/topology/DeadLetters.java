package io.streamgru.app.topology;

import io.streamgru.app.input.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers of a dead-letter record: the original key and value are kept as they were; these say
 * why and where from.
 */
public final class DeadLetters {

    public static final String REASON = "streamgru.error.reason";
    public static final String MESSAGE = "streamgru.error.message";
    public static final String SOURCE_TOPIC = "streamgru.source.topic";
    public static final String SOURCE_PARTITION = "streamgru.source.partition";
    public static final String SOURCE_OFFSET = "streamgru.source.offset";

    private DeadLetters() {
    }

    static Headers headers(InvalidRecordException e, RecordMetadata source) {
        RecordHeaders h = new RecordHeaders();
        h.add(REASON, utf8(e.reason().name()));
        h.add(MESSAGE, utf8(e.getMessage()));
        if (source != null) {
            h.add(SOURCE_TOPIC, utf8(source.topic()));
            h.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
            h.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        }
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
