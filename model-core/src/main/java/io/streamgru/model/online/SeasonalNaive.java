package io.streamgru.model.online;

import java.util.Arrays;

/**
 * The seasonal naive baseline: the key's target one season earlier than the forecast target,
 * {@code season} records of that key before it (whole seasons back, as few as reach known data:
 * for a horizon above the season, {@code season * ceil(horizon / season)} records back). Where that
 * record is not there yet (a key's first season) or its target is unknown, it falls back to
 * persistence (the last known target), so it forecasts wherever persistence does; {@link
 * #fallbacks()} counts those forecasts. Memory: {@code season} doubles per key.
 */
public final class SeasonalNaive extends BaselineForecaster {

    private final int season;
    private long fallbacks;

    public SeasonalNaive(int horizon, int season) {
        super(horizon);
        requirePositive("season", season);
        this.season = season;
    }

    public int season() {
        return season;
    }

    /** Forecasts made so far from the persistence fallback (including ones not yet resolved). */
    public long fallbacks() {
        return fallbacks;
    }

    @Override
    public String id() {
        return "seasonal_naive";
    }

    @Override
    public String label() {
        return "seasonal naive (season " + season + ")";
    }

    @Override
    protected History newHistory() {
        return new History() {
            /** Targets of the last {@code season} records, record n at {@code n % season}. */
            private final double[] ring = filledNaN(season);
            private long added;
            private double last = Double.NaN;

            @Override
            public void add(double target) {
                ring[(int) (added++ % season)] = target;
                if (!Double.isNaN(target)) {
                    last = target;
                }
            }

            @Override
            public double forecast(int ahead) {
                // The target is record (added - 1 + ahead); go back the fewest whole seasons that
                // land on a record already added (at most season - 1 records before the last).
                long back = (long) season * ((ahead + season - 1) / season);
                long index = added - 1 + ahead - back;
                double value = index >= 0 ? ring[(int) (index % season)] : Double.NaN;
                if (Double.isNaN(value)) {
                    if (!Double.isNaN(last)) {
                        fallbacks++;
                    }
                    return last;
                }
                return value;
            }
        };
    }

    private static double[] filledNaN(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
