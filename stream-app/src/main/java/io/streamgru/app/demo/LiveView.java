package io.streamgru.app.demo;

import io.streamgru.app.topology.StreamGruMetrics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's terminal view. From the application's meters (the figures {@code /metrics} serves):
 * records per second, the MAE of the model against persistence (overall and over the last 1,000
 * scored forecasts), dead letters, gradient batches, staleness, drift detections. From the
 * forecasts read back from the output topic: for a few keys the latest forecast against the actual,
 * and the newest model version a forecast carried. Prints a block of lines per refresh (plain text,
 * so it also reads well in a log). Thread-safe: a reader thread feeds it while another renders.
 */
public final class LiveView {

    /** What the view needs of one forecast record. */
    public record ForecastView(String seriesId, long eventTime, double prediction, long modelVersion, double actual,
                               double error, double persistenceError) {
    }

    private final PrintWriter out;
    private final StreamGruMetrics metrics;
    private final List<String> watched;
    private final Map<String, ForecastView> latest = new TreeMap<>();
    private final long started = System.nanoTime();
    private long forecasts;
    private long maxVersion;
    private long lastRecords;
    private long lastNanos = started;

    public LiveView(PrintWriter out, StreamGruMetrics metrics, List<String> watched) {
        this.out = out;
        this.metrics = metrics;
        this.watched = watched;
    }

    /** One forecast read from the output topic. */
    public synchronized void accept(ForecastView f) {
        forecasts++;
        maxVersion = Math.max(maxVersion, f.modelVersion());
        if (watched.contains(f.seriesId())) {
            latest.put(f.seriesId(), f);
        }
    }

    public synchronized long forecastsSeen() {
        return forecasts;
    }

    /** Prints one refresh. */
    public synchronized void render() {
        long now = System.nanoTime();
        long records = metrics.records();
        double rate = (records - lastRecords) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastRecords = records;
        lastNanos = now;
        double seconds = (now - started) / 1e9;
        out.printf(Locale.ROOT, "[%5.0fs] %,d records (%,.0f/s), %,d forecasts read, model v%d | MAE model %.3f vs "
                        + "persistence %.3f (last %d: %.3f vs %.3f) | dead letters %d | gradient batches %d applied, %d stale dropped, "
                        + "batch version lag mean %.1f max %d | records on an old version %.1f%% | drift detections %d%n",
                seconds, records, rate, forecasts, maxVersion, metrics.meanAbsoluteError(),
                metrics.meanPersistenceError(), metrics.rollingCount(), metrics.rollingModelMae(),
                metrics.rollingPersistenceMae(), metrics.deadLetters(), metrics.gradientBatchesApplied(),
                metrics.staleBatchesDropped(), metrics.meanBatchVersionLag(), metrics.maxBatchVersionLag(),
                records == 0 ? 0.0 : 100.0 * metrics.recordsOnOldVersion() / records, metrics.driftDetections());
        for (ForecastView f : latest.values()) {
            out.printf(Locale.ROOT, "         %-9s hour %6d  forecast next hour %7.2f   actual now %7.2f   v%d%n",
                    f.seriesId(), f.eventTime(), f.prediction(), f.actual(), f.modelVersion());
        }
        out.flush();
    }
}
