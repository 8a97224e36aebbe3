package io.streamgru.app.dashboard;

import io.streamgru.app.topology.Forecast;
import io.streamgru.app.topology.ForecastListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last {@code points} forecasts of at most {@code maxKeys} keys, each beside the actual it was
 * made for: the keys named in {@code http.dashboard.keys}, or else the first keys this instance
 * forecasts. Memory is bounded by {@code maxKeys × points}; keys are never meter tags.
 */
public final class WatchedKeys implements ForecastListener {

    /** One point of a key's chart: at {@code eventTime}, the actual and the forecast made for it, with its interval. */
    public record Point(long eventTime, double actual, double forecast, double lower, double upper) {
    }

    private final List<String> chosen;
    private final int maxKeys;
    private final int points;
    private final Map<String, KeyHistory> keys = new ConcurrentHashMap<>();

    /**
     * @param chosen  the keys to chart; empty: the first {@code maxKeys} keys seen
     * @param maxKeys keys charted when none are chosen
     * @param points  points kept per key
     */
    public WatchedKeys(List<String> chosen, int maxKeys, int points) {
        this.chosen = List.copyOf(chosen);
        this.maxKeys = chosen.isEmpty() ? maxKeys : chosen.size();
        this.points = points;
        for (String key : chosen) {
            keys.put(key, new KeyHistory(points));
        }
    }

    @Override
    public void published(Forecast forecast) {
        KeyHistory history = keys.get(forecast.seriesId());
        if (history == null) {
            if (!chosen.isEmpty() || keys.size() >= maxKeys) {
                return;
            }
            history = adopt(forecast.seriesId());
            if (history == null) {
                return;
            }
        }
        history.add(forecast);
    }

    /**
     * A key dropped for idleness: a chosen key's chart starts again (the key starts cold), any
     * other leaves the chart so that a key still reading can take its place.
     */
    @Override
    public synchronized void expired(String seriesId) {
        if (chosen.contains(seriesId)) {
            keys.put(seriesId, new KeyHistory(points));
        } else {
            keys.remove(seriesId);
        }
    }

    private synchronized KeyHistory adopt(String key) {
        if (keys.size() >= maxKeys) {
            return keys.get(key);
        }
        return keys.computeIfAbsent(key, k -> new KeyHistory(points));
    }

    /** The keys charted, in order (the chosen ones' order, else sorted). */
    public List<String> keys() {
        List<String> names = chosen.isEmpty() ? new ArrayList<>(keys.keySet()) : chosen;
        if (chosen.isEmpty()) {
            names.sort(null);
        }
        return names;
    }

    /** A copy of a charted key's points, oldest first (empty for a key not charted). */
    public List<Point> points(String key) {
        KeyHistory history = keys.get(key);
        return history == null ? List.of() : history.copy();
    }

    /**
     * One key's points, plus the forecasts still waiting for their actual: the forecast a record
     * resolves is the one made {@code horizon} records earlier, and its interval comes from there.
     */
    private static final class KeyHistory {
        private final int capacity;
        private final ArrayDeque<Point> points;
        private final ArrayDeque<double[]> pending = new ArrayDeque<>();

        KeyHistory(int capacity) {
            this.capacity = capacity;
            this.points = new ArrayDeque<>(capacity);
        }

        synchronized void add(Forecast f) {
            double[] made = pending.size() >= Math.max(1, f.horizon()) ? pending.poll() : null;
            // The band only when the pending forecast is the one the learner resolved (same number).
            boolean same = made != null && Double.compare(made[0], f.resolvedPrediction()) == 0;
            if (Double.isFinite(f.actual()) || Double.isFinite(f.resolvedPrediction())) {
                if (points.size() == capacity) {
                    points.poll();
                }
                points.add(new Point(f.eventTime(), f.actual(), f.resolvedPrediction(),
                        same ? made[1] : Double.NaN, same ? made[2] : Double.NaN));
            }
            pending.add(new double[] {f.prediction(), f.lower(), f.upper()});
        }

        synchronized List<Point> copy() {
            return new ArrayList<>(points);
        }
    }
}
