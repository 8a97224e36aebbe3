package io.streamgru.model.online;

/**
 * The persistence baseline: the last known target of the key when the forecast is made. Gives
 * the same forecasts as {@link SeriesState#resolvedBaseline()} (which the model is scored next to).
 */
public final class Persistence extends BaselineForecaster {

    public Persistence(int horizon) {
        super(horizon);
    }

    @Override
    public String id() {
        return "persistence";
    }

    @Override
    public String label() {
        return "persistence";
    }

    @Override
    protected History newHistory() {
        return new History() {
            private double last = Double.NaN;

            @Override
            public void add(double target) {
                if (!Double.isNaN(target)) {
                    last = target;
                }
            }

            @Override
            public double forecast(int ahead) {
                return last;
            }
        };
    }
}
