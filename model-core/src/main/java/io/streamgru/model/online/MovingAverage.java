package io.streamgru.model.online;

/**
 * The moving-average baseline: the mean of the key's last {@code window} known targets when the
 * forecast is made (fewer while fewer are known; unknown targets are skipped, as persistence skips
 * them). The mean is taken relative to the newest value, so a constant series is forecast exactly.
 * Memory: {@code window} doubles per key; each forecast costs O(window).
 */
public final class MovingAverage extends BaselineForecaster {

    private final int window;

    public MovingAverage(int horizon, int window) {
        super(horizon);
        requirePositive("moving-average window", window);
        this.window = window;
    }

    public int window() {
        return window;
    }

    @Override
    public String id() {
        return "moving_average";
    }

    @Override
    public String label() {
        return "moving average (window " + window + ")";
    }

    @Override
    protected History newHistory() {
        return new History() {
            private final double[] ring = new double[window];
            private long known;

            @Override
            public void add(double target) {
                if (!Double.isNaN(target)) {
                    ring[(int) (known++ % window)] = target;
                }
            }

            @Override
            public double forecast(int ahead) {
                int n = (int) Math.min(known, window);
                if (n == 0) {
                    return Double.NaN;
                }
                double newest = ring[(int) ((known - 1) % window)];
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += ring[j] - newest;
                }
                return newest + sum / n;
            }
        };
    }
}
