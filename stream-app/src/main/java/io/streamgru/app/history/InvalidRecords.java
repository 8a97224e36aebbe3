package io.streamgru.app.history;

import io.streamgru.app.input.InvalidRecordException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of the history that could not be decoded: counted per reason, the first of each reason
 * logged with its coordinates and message (a bad topic must not flood the log). They are skipped.
 * Each one's partition and offset are kept too, so the count up to given positions (a checkpoint's)
 * is exact even when the reader runs ahead of its consumer. Thread-safe (one reader thread adds,
 * the consumer of the records asks).
 */
public final class InvalidRecords {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidRecords.class);

    private record Seen(long offset, InvalidRecordException.Reason reason) {
    }

    private final Map<InvalidRecordException.Reason, Long> base = new EnumMap<>(InvalidRecordException.Reason.class);
    private final Map<TopicPartition, List<Seen>> seen = new HashMap<>();
    private final Map<InvalidRecordException.Reason, String> examples =
            new EnumMap<>(InvalidRecordException.Reason.class);
    private String first;

    synchronized void add(InvalidRecordException e, String topic, int partition, long offset) {
        seen.computeIfAbsent(new TopicPartition(topic, partition), tp -> new ArrayList<>())
                .add(new Seen(offset, e.reason()));
        if (!examples.containsKey(e.reason())) {
            String example = topic + "-" + partition + "@" + offset + ": " + e.oneLineMessage();
            examples.put(e.reason(), example);
            if (first == null) {
                first = example;
            }
            LOG.warn("skipping invalid record {} ({}); further ones of this reason are only counted", example,
                    e.reason());
        }
    }

    /** Continues counting from a checkpoint's counts (of the records before its positions). */
    public synchronized void restore(Map<InvalidRecordException.Reason, Long> saved) {
        base.clear();
        base.putAll(saved);
    }

    public synchronized long total() {
        return counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts per reason (a copy). */
    public synchronized Map<InvalidRecordException.Reason, Long> counts() {
        return countsBefore(null);
    }

    /** Counts per reason of the invalid records before {@code positions} (per partition; null = all). */
    public synchronized Map<InvalidRecordException.Reason, Long> countsBefore(Map<TopicPartition, Long> positions) {
        Map<InvalidRecordException.Reason, Long> m = new EnumMap<>(InvalidRecordException.Reason.class);
        m.putAll(base);
        seen.forEach((tp, list) -> {
            long limit = positions == null ? Long.MAX_VALUE : positions.getOrDefault(tp, Long.MAX_VALUE);
            for (Seen s : list) {
                if (s.offset() < limit) {
                    m.merge(s.reason(), 1L, Long::sum);
                }
            }
        });
        return m;
    }

    /** E.g. {@code "3 (CORRUPT 2, MISSING_FIELD 1; first: t-0@17: value is not valid JSON)"}, or {@code "0"}. */
    public synchronized String describe() {
        Map<InvalidRecordException.Reason, Long> counts = counts();
        if (counts.isEmpty()) {
            return "0";
        }
        StringJoiner reasons = new StringJoiner(", ");
        counts.forEach((r, n) -> reasons.add(r + " " + n));
        return total() + " (" + reasons + (first == null ? "" : "; first: " + first) + ")";
    }
}
