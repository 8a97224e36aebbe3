package io.streamgru.app.history;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Where reading each partition starts and where it ends (exclusive): the concrete offsets a
 * {@link HistoryRange} resolved to, or a checkpoint's saved positions with the end offsets
 * captured when the interrupted run started.
 */
public record HistoryBounds(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {

    public HistoryBounds {
        if (!start.keySet().equals(end.keySet())) {
            throw new IllegalArgumentException("start and end offsets name different partitions");
        }
        start = sorted(start);
        end = sorted(end);
    }

    private static Map<TopicPartition, Long> sorted(Map<TopicPartition, Long> m) {
        TreeMap<TopicPartition, Long> t = new TreeMap<>(HistoryBounds::compare);
        t.putAll(m);
        return java.util.Collections.unmodifiableMap(t);
    }

    static int compare(TopicPartition a, TopicPartition b) {
        int c = a.topic().compareTo(b.topic());
        return c != 0 ? c : Integer.compare(a.partition(), b.partition());
    }

    /** Records between start and end, over all partitions (an upper bound: some may be markers). */
    public long records() {
        long n = 0;
        for (Map.Entry<TopicPartition, Long> e : start.entrySet()) {
            n += Math.max(0, end.get(e.getKey()) - e.getValue());
        }
        return n;
    }
}
