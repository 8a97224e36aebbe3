package io.streamgru.app.evaluate;

/**
 * The last {@code capacity} rows of one plotted key (time, actual, model forecast), in a ring:
 * what the forecast-vs-actual plot draws, in memory bounded by {@code --plot-points}.
 */
final class PlotTail {

    private final String key;
    private final long[] times;
    private final double[] actuals;
    private final double[] forecasts;
    private long added;

    PlotTail(String key, int capacity) {
        this.key = key;
        times = new long[capacity];
        actuals = new double[capacity];
        forecasts = new double[capacity];
    }

    String key() {
        return key;
    }

    void add(long time, double actual, double forecast) {
        int slot = (int) (added++ % times.length);
        times[slot] = time;
        actuals[slot] = actual;
        forecasts[slot] = forecast;
    }

    /** Rows held (at most the capacity). */
    int size() {
        return (int) Math.min(added, times.length);
    }

    /** Row j of the tail, oldest first (0 ≤ j < size()). */
    private int slot(int j) {
        return (int) ((added - size() + j) % times.length);
    }

    double time(int j) {
        return times[slot(j)];
    }

    double actual(int j) {
        return actuals[slot(j)];
    }

    double forecast(int j) {
        return forecasts[slot(j)];
    }
}
