package io.streamgru.app.evaluate;

/**
 * The last {@code capacity} rows of one plotted key (time, actual, model forecast and the half-width
 * of its prediction interval), in a ring:
 * what the forecast-vs-actual plot draws, in memory bounded by {@code --plot-points}.
 */
final class PlotTail {

    private final String key;
    private final long[] times;
    private final double[] actuals;
    private final double[] forecasts;
    private final double[] halfWidths;
    private long added;

    PlotTail(String key, int capacity) {
        this.key = key;
        times = new long[capacity];
        actuals = new double[capacity];
        forecasts = new double[capacity];
        halfWidths = new double[capacity];
    }

    String key() {
        return key;
    }

    void add(long time, double actual, double forecast, double halfWidth) {
        int slot = (int) (added++ % times.length);
        halfWidths[slot] = halfWidth;
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

    /** Half-width of the interval of row j's forecast (NaN: none). */
    double halfWidth(int j) {
        return halfWidths[slot(j)];
    }
}
