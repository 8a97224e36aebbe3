package io.streamgru.app.history;

import java.util.Map;

/**
 * One decoded input record read from history, with where it came from. Reused: the reader fills
 * the caller's instance record after record, so the feature array is live.
 */
public final class HistoryRecord {

    private String topic;
    private int partition;
    private long offset;
    private long timestamp;
    private String seriesId;
    private long eventTime;
    private final double[] features;
    private double target;

    public HistoryRecord(int featureCount) {
        this.features = new double[featureCount];
    }

    void set(String topic, int partition, long offset, long timestamp, String seriesId, long eventTime,
             double[] features, double target) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.seriesId = seriesId;
        this.eventTime = eventTime;
        System.arraycopy(features, 0, this.features, 0, this.features.length);
        this.target = target;
    }

    /**
     * Replaces the series id by the equal instance in {@code ids} (adding it if new), so a consumer
     * on another thread finds its key by reference: the hash and the comparison happen here.
     */
    void shareSeriesId(Map<String, String> ids) {
        if (seriesId != null) {
            seriesId = ids.computeIfAbsent(seriesId, id -> id);
        }
    }

    void copyFrom(HistoryRecord other) {
        set(other.topic, other.partition, other.offset, other.timestamp, other.seriesId, other.eventTime,
                other.features, other.target);
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The Kafka record timestamp. */
    public long timestamp() {
        return timestamp;
    }

    public String seriesId() {
        return seriesId;
    }

    /** Event time (the configured time field, else the record timestamp), epoch milliseconds. */
    public long eventTime() {
        return eventTime;
    }

    /** The live feature array (NaN = gap). */
    public double[] features() {
        return features;
    }

    /** The target, NaN = not known. */
    public double target() {
        return target;
    }

    /** The merge order: event time, then topic, partition and offset (a total order: deterministic). */
    static int compare(HistoryRecord a, HistoryRecord b) {
        int c = Long.compare(a.eventTime, b.eventTime);
        if (c == 0) {
            c = a.topic.compareTo(b.topic);
        }
        if (c == 0) {
            c = Integer.compare(a.partition, b.partition);
        }
        return c != 0 ? c : Long.compare(a.offset, b.offset);
    }
}
