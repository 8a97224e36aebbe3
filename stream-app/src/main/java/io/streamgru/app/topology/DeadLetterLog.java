package io.streamgru.app.topology;

import io.streamgru.app.input.InvalidRecordException;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log line for dead-lettered records that cannot flood the log: the first ten of a task, then
 * one per thousand, each with the reason, the message as the dead letter's header has it (one line,
 * at most {@link InvalidRecordException#MAX_MESSAGE_CHARS} characters) and where the record came from.
 */
final class DeadLetterLog {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);

    private long count;

    void log(InvalidRecordException e, RecordMetadata source) {
        count++;
        if (count <= 10 || count % 1000 == 0) {
            LOG.warn("dead letter #{} ({}): {} [{}]", count, e.reason(), e.oneLineMessage(),
                    source == null ? "unknown source" : source.topic() + "-" + source.partition() + "@" + source.offset());
        }
    }
}
