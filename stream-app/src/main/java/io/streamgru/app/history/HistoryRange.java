package io.streamgru.app.history;

import io.streamgru.app.input.InputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which part of the input topics to read: from the earliest offset (the default), from a time
 * ({@code from}), up to a time ({@code to}), and explicit start offsets for some partitions
 * (which win over {@code from} there). Times select by record timestamp (Kafka's
 * {@code offsetsForTimes}), not by an event-time field. A partition read to its end stops at the
 * end offset captured when reading starts.
 *
 * @param from    first record timestamp to read, or null = the earliest offset
 * @param to      records at or after this timestamp are not read, or null = up to the end
 * @param offsets explicit start offsets, per partition
 */
public record HistoryRange(Instant from, Instant to, Map<TopicPartition, Long> offsets) {

    /** Everything: from the earliest offset to the end. */
    public static final HistoryRange ALL = new HistoryRange(null, null, Map.of());

    public HistoryRange {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InputException("--from " + from + " is not before --to " + to);
        }
        offsets = Map.copyOf(offsets);
    }

    /**
     * Parses the command-line forms (each may be null): {@code from}/{@code to} as ISO-8601 instants
     * ({@code 2026-01-31T00:00:00Z}) or durations meaning "now minus" ({@code P7D}, {@code PT12H},
     * {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}); {@code offsets} as
     * {@code topic:partition:offset,...}.
     */
    public static HistoryRange parse(String from, String to, String offsets, Clock clock) {
        return new HistoryRange(time("--from", from, clock), time("--to", to, clock), offsets(offsets));
    }

    static Instant time(String option, String text, Clock clock) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notAnInstant) {
            Duration ago = duration(t);
            if (ago == null || ago.isNegative()) {
                throw new InputException(option + " '" + text + "' is neither an ISO-8601 instant "
                        + "(2026-01-31T00:00:00Z) nor a duration (P7D, PT12H, 7d, 12h, 30m, 45s)");
            }
            return clock.instant().minus(ago);
        }
    }

    private static Duration duration(String t) {
        if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (!t.matches("\\d+[dhms]")) {
            return null;
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 'd' -> Duration.ofDays(n);
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static Map<TopicPartition, Long> offsets(String text) {
        Map<TopicPartition, Long> m = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return m;
        }
        for (String item : text.split(",")) {
            String[] parts = item.strip().split(":");
            try {
                if (parts.length != 3 || parts[0].isEmpty()) {
                    throw new NumberFormatException();
                }
                int partition = Integer.parseInt(parts[1]);
                long offset = Long.parseLong(parts[2]);
                if (partition < 0 || offset < 0) {
                    throw new NumberFormatException();
                }
                if (m.put(new TopicPartition(parts[0], partition), offset) != null) {
                    throw new InputException("--offsets names " + parts[0] + ":" + partition + " twice");
                }
            } catch (NumberFormatException e) {
                throw new InputException("--offsets item '" + item.strip()
                        + "' is not topic:partition:offset (partition and offset >= 0)");
            }
        }
        return m;
    }
}
