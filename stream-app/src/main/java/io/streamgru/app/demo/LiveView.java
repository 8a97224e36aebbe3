package io.streamgru.app.demo;

import io.streamgru.app.topology.StreamGruMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's figures. From the application's meters (the figures {@code /metrics} serves):
 * records per second, the MAE of the model against persistence (overall and over the last 1,000
 * scored forecasts), dead letters, gradient batches, staleness, drift detections. From the
 * forecasts read back from the output topic: for a few keys the newest reading's actual beside the
 * forecast that was made for that same reading (and persistence's), and the newest model version a
 * forecast carried. A figure that does not exist yet (an MAE before anything was scored) reads
 * {@value #NONE}, never NaN. Thread-safe: a reader thread feeds it while another renders.
 */
public final class LiveView {

    /** Shown for a figure that does not exist yet. */
    public static final String NONE = "—";

    /**
     * What the view needs of one forecast record: the reading at {@code hour}, the forecast made
     * from it, and what it resolves: the reading's {@code actual}, the forecast made earlier for
     * this reading ({@code resolvedPrediction}) and persistence's error on it; those are NaN when
     * it resolves nothing.
     */
    public record ForecastView(String seriesId, long hour, double prediction, long modelVersion, double actual,
                               double resolvedPrediction, double persistenceError) {

        boolean resolves() {
            return Double.isFinite(actual) && Double.isFinite(resolvedPrediction);
        }
    }

    private final StreamGruMetrics metrics;
    private final List<String> watched;
    private final Map<String, ForecastView> latest = new TreeMap<>();
    private final long started = System.nanoTime();
    private long forecasts;
    private long maxVersion;
    private long lastRecords;
    private long lastNanos = started;

    public LiveView(StreamGruMetrics metrics, List<String> watched) {
        this.metrics = metrics;
        this.watched = List.copyOf(watched);
    }

    /** One forecast read from the output topic. */
    public synchronized void accept(ForecastView f) {
        forecasts++;
        maxVersion = Math.max(maxVersion, f.modelVersion());
        if (watched.contains(f.seriesId()) && f.resolves()) {
            latest.put(f.seriesId(), f);
        }
    }

    public synchronized long forecastsSeen() {
        return forecasts;
    }

    /** The newest model version a forecast read back carried (0 before any). */
    public synchronized long modelVersion() {
        return maxVersion;
    }

    /**
     * The status as one line, the format scripts read: {@code [ 22s] N records (R/s), F forecasts
     * read, model vV | MAE model X vs persistence Y (last 1000: A vs B) | dead letters D | …}. Each
     * call measures the rate since the previous one.
     */
    public synchronized String statusLine() {
        return String.join(" | ", statusParts());
    }

    /**
     * The same status in parts, one per {@code " | "}-separated section, each short enough for a
     * terminal line.
     */
    public synchronized List<String> statusParts() {
        long now = System.nanoTime();
        long records = metrics.records();
        double rate = (records - lastRecords) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastRecords = records;
        lastNanos = now;
        double seconds = (now - started) / 1e9;
        return List.of(
                String.format(Locale.ROOT, "[%5.0fs] %,d records (%,.0f/s), %,d forecasts read, model v%d",
                        seconds, records, rate, forecasts, maxVersion),
                mae(),
                "dead letters " + metrics.deadLetters(),
                String.format(Locale.ROOT, "gradient batches %d applied, %d stale dropped, batch version lag mean %s max %d",
                        metrics.gradientBatchesApplied(), metrics.staleBatchesDropped(),
                        figure("%.1f", metrics.meanBatchVersionLag()), metrics.maxBatchVersionLag()),
                "records on an old version " + (records == 0 ? NONE
                        : figure("%.1f", 100.0 * metrics.recordsOnOldVersion() / records) + "%"),
                "drift detections " + metrics.driftDetections());
    }

    /**
     * For each watched sensor that has one: the newest reading's actual, the forecast made for that
     * reading (before it was seen) and persistence's forecast for it (the reading before).
     */
    public synchronized List<String> sensorLines() {
        List<String> lines = new ArrayList<>();
        for (ForecastView f : latest.values()) {
            double persistence = f.actual() - f.persistenceError();
            lines.add(String.format(Locale.ROOT, "%s hour %6d  actual %6.2f  forecast %6.2f  persistence %s",
                    f.seriesId(), f.hour(), f.actual(), f.resolvedPrediction(), figure("%6.2f", persistence)));
        }
        return lines;
    }

    /** What the run came to, printed when the demo stops. */
    public synchronized List<String> summary(long produced, Duration runTime) {
        return List.of(
                String.format(Locale.ROOT, "  run time      %s", runTime(runTime)),
                String.format(Locale.ROOT, "  records       %,d produced, %,d processed", produced, metrics.records()),
                String.format(Locale.ROOT, "  forecasts     %,d read back", forecasts),
                String.format(Locale.ROOT, "  model         v%d", maxVersion),
                "  " + mae(),
                String.format(Locale.ROOT, "  dead letters  %,d", metrics.deadLetters()));
    }

    private String mae() {
        return String.format(Locale.ROOT, "MAE model %s vs persistence %s (last %d: %s vs %s)",
                figure("%.3f", metrics.meanAbsoluteError()), figure("%.3f", metrics.meanPersistenceError()),
                metrics.rollingCount(), figure("%.3f", metrics.rollingModelMae()),
                figure("%.3f", metrics.rollingPersistenceMae()));
    }

    /** A number, or {@value #NONE} when there is none (NaN or infinite). */
    static String figure(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : NONE;
    }

    private static String runTime(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
