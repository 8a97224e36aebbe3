package io.streamgru.app.topology;

import io.streamgru.app.input.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The dead-letter records of one application instance: the original key and value, with headers
 * that say why and where from, never larger than the dead-letter topic accepts. A record that
 * would not fit (the topic was made smaller than the input, or the producer's
 * {@code max.request.size} is) keeps the first bytes of its value and says so in
 * {@link #TRUNCATED} and {@link #ORIGINAL_SIZE}: a dead letter that cannot be written would abort
 * the transaction it is part of, and the same record would fail again after every retry.
 *
 * <p>Also remembers the records whose dead letter could not be written even so
 * ({@link DeadLetterProductionHandler}): under exactly-once that failure aborts the transaction and
 * the record is processed again; it is then logged and counted instead of written a second time.
 */
public final class DeadLetters {

    public static final String REASON = "streamgru.error.reason";
    public static final String MESSAGE = "streamgru.error.message";
    public static final String SOURCE_TOPIC = "streamgru.source.topic";
    public static final String SOURCE_PARTITION = "streamgru.source.partition";
    public static final String SOURCE_OFFSET = "streamgru.source.offset";
    /** Present (value {@code true}) when the value was cut to fit the dead-letter topic. */
    public static final String TRUNCATED = "streamgru.value.truncated";
    /** The original value's size in bytes, present when the value was truncated. */
    public static final String ORIGINAL_SIZE = "streamgru.value.original.size";

    /** Room left for the record batch's and the record's own framing (about 100 bytes) and for header names. */
    static final int FRAMING_ALLOWANCE = 1024;
    /** Failed writes remembered at most: they are rare, this only bounds a broken setup's memory. */
    private static final int MAX_REMEMBERED_FAILURES = 100_000;

    private final int maxRecordBytes;
    private final Set<String> failedWrites = ConcurrentHashMap.newKeySet();

    /**
     * @param maxRecordBytes the largest record the dead-letter topic and the producer accept (the
     *                       smaller of the topic's {@code max.message.bytes} and {@code max.request.size})
     */
    public DeadLetters(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Dead letters of any size (for topology tests without a broker). */
    public static DeadLetters unlimited() {
        return new DeadLetters(Integer.MAX_VALUE);
    }

    /** The largest record this instance writes to the dead-letter topic. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * The dead letter of {@code original}, cut to fit; null if a dead letter for this source record
     * could not be written before (see the class comment).
     */
    Record<byte[], byte[]> of(Record<byte[], byte[]> original, InvalidRecordException e, RecordMetadata source) {
        if (source != null && failedWrites.contains(key(source.topic(), source.partition(), source.offset()))) {
            return null;
        }
        Headers headers = headers(e, source);
        byte[] key = original.key();
        byte[] value = original.value();
        if (length(key) + length(value) > maxRecordBytes - FRAMING_ALLOWANCE - size(headers)) {
            headers.add(TRUNCATED, utf8("true"));
            headers.add(ORIGINAL_SIZE, utf8(Integer.toString(length(value))));
            long room = Math.max(0, (long) maxRecordBytes - FRAMING_ALLOWANCE - size(headers));
            if (length(key) > room) { // a key alone larger than the topic allows
                key = Arrays.copyOf(key, (int) room);
            }
            value = value == null ? null : Arrays.copyOf(value, (int) (room - length(key)));
        }
        return new Record<>(key, value, original.timestamp(), headers);
    }

    /** Remembers that the dead letter of this source record could not be written. */
    void writeFailed(String topic, int partition, long offset) {
        if (failedWrites.size() < MAX_REMEMBERED_FAILURES) {
            failedWrites.add(key(topic, partition, offset));
        }
    }

    /** The headers of a dead letter; the message as {@link InvalidRecordException#oneLineMessage()}. */
    static Headers headers(InvalidRecordException e, RecordMetadata source) {
        RecordHeaders h = new RecordHeaders();
        h.add(REASON, utf8(e.reason().name()));
        h.add(MESSAGE, utf8(e.oneLineMessage()));
        if (source != null) {
            h.add(SOURCE_TOPIC, utf8(source.topic()));
            h.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
            h.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        }
        return h;
    }

    private static String key(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    private static long size(Headers headers) {
        long n = 0;
        for (Header h : headers) {
            n += h.key().length() + length(h.value());
        }
        return n;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
