package io.streamgru.app.dashboard;

import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.topology.StreamGruMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent past of an instance's meters: one {@link Sample} per {@link #sample} call (the
 * dashboard calls it once a second), the oldest dropped beyond {@code capacity}.
 */
public final class MeterHistory {

    /** The meters at one moment; throughput is the records since the previous sample, per second. */
    public record Sample(long epochMillis, long records, double recordsPerSecond, double modelMae,
                         double persistenceMae, long modelVersion, long versionLag, long[] deadLettersByReason,
                         long driftDetections, long driftPolicyActions) {
    }

    private final StreamGruMetrics metrics;
    private final int capacity;
    private final ArrayDeque<Sample> samples;

    public MeterHistory(StreamGruMetrics metrics, int capacity) {
        this.metrics = metrics;
        this.capacity = capacity;
        this.samples = new ArrayDeque<>(capacity);
    }

    /** The dead-letter reasons, in the order of {@link Sample#deadLettersByReason()}. */
    public static List<InvalidRecordException.Reason> reasons() {
        return List.of(InvalidRecordException.Reason.values());
    }

    /** Reads the meters now and keeps the sample. */
    public synchronized Sample sample(long epochMillis) {
        Sample previous = samples.peekLast();
        long records = metrics.records();
        double perSecond = previous == null || epochMillis <= previous.epochMillis() ? Double.NaN
                : (records - previous.records()) * 1000.0 / (epochMillis - previous.epochMillis());
        List<InvalidRecordException.Reason> reasons = reasons();
        long[] deadLetters = new long[reasons.size()];
        for (int i = 0; i < deadLetters.length; i++) {
            deadLetters[i] = metrics.deadLetters(reasons.get(i));
        }
        Sample s = new Sample(epochMillis, records, perSecond, metrics.rollingModelMae(),
                metrics.rollingPersistenceMae(), metrics.latestVersion(), metrics.modelVersionLag(), deadLetters,
                metrics.driftDetections(), metrics.driftPolicyActions());
        if (samples.size() == capacity) {
            samples.poll();
        }
        samples.add(s);
        return s;
    }

    /** The samples kept, oldest first. */
    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }
}
