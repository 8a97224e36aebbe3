package io.streamgru.model.experts;

/** The forecasters a series' published forecast may combine, by the name the forecast record gives them. */
public enum Expert {
    /** The model's own forecast: the GRU with its linear path, if any. */
    MODEL("model"),
    /** The last known target when the forecast was made. */
    PERSISTENCE("persistence"),
    /** The linear path alone (with the GRU's contribution left out), when there is a linear path. */
    LINEAR("linear"),
    /** The key's target a whole number of seasons before the forecast target, when the learner has a season. */
    SEASONAL_NAIVE("seasonal_naive");

    private final String id;

    Expert(String id) {
        this.id = id;
    }

    /** The name in forecast records and reports, e.g. {@code persistence}. */
    public String id() {
        return id;
    }
}
