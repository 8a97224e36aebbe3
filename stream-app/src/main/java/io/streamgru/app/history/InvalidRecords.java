package io.streamgru.app.history;

import io.streamgru.app.input.InvalidRecordException;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of the history that could not be decoded: counted per reason, the first of each reason
 * logged with its coordinates and message (a bad topic must not flood the log). They are skipped.
 */
public final class InvalidRecords {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidRecords.class);

    private final Map<InvalidRecordException.Reason, Long> counts = new EnumMap<>(InvalidRecordException.Reason.class);
    private final Map<InvalidRecordException.Reason, String> examples =
            new EnumMap<>(InvalidRecordException.Reason.class);

    void add(InvalidRecordException e, String topic, int partition, long offset) {
        long n = counts.merge(e.reason(), 1L, Long::sum);
        if (n == 1) {
            String example = topic + "-" + partition + "@" + offset + ": " + e.getMessage();
            examples.put(e.reason(), example);
            LOG.warn("skipping invalid record {} ({}); further ones of this reason are only counted", example,
                    e.reason());
        }
    }

    /** Continues counting from a checkpoint's counts. */
    public void restore(Map<InvalidRecordException.Reason, Long> saved) {
        counts.clear();
        counts.putAll(saved);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts per reason (a copy). */
    public Map<InvalidRecordException.Reason, Long> counts() {
        return new EnumMap<>(counts);
    }

    /** E.g. {@code "3 (CORRUPT 2, MISSING_FIELD 1; first: t-0@17: value is not valid JSON)"}, or {@code "0"}. */
    public String describe() {
        if (counts.isEmpty()) {
            return "0";
        }
        StringJoiner reasons = new StringJoiner(", ");
        counts.forEach((r, n) -> reasons.add(r + " " + n));
        String first = examples.isEmpty() ? "" : "; first: " + examples.values().iterator().next();
        return total() + " (" + reasons + first + ")";
    }
}
