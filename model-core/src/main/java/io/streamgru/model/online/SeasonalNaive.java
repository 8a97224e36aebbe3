package io.streamgru.model.online;

/**
 * The seasonal naive baseline: the key's target one season earlier than the forecast target,
 * {@code season} records of that key before it (whole seasons back, as few as reach known data:
 * for a horizon above the season, {@code season * ceil(horizon / season)} records back). Where that
 * record is not there yet (a key's first season) or its target is unknown, it falls back to
 * persistence (the last known target), so it forecasts wherever persistence does; {@link
 * #fallbacks()} counts those forecasts. The rule is {@link SeasonalHistory}'s, which the learner's
 * seasonal naive expert uses too. Memory: {@code season} doubles per key.
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
            private final SeasonalHistory seasons = new SeasonalHistory(season);
            private long added;
            private double last = Double.NaN;

            @Override
            public void add(double target) {
                seasons.put(added++, target);
                if (!Double.isNaN(target)) {
                    last = target;
                }
            }

            @Override
            public double forecast(int ahead) {
                double value = seasons.forecast(added - 1, ahead);
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
}
