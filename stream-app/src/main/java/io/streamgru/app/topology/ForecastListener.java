package io.streamgru.app.topology;

/**
 * Sees every forecast a learner task of this instance publishes, on that task's stream thread (the
 * dashboard keeps the last few of some keys). It must return quickly and never throw: it runs in
 * the record's processing.
 */
@FunctionalInterface
public interface ForecastListener {

    /** Nobody listens. */
    ForecastListener NONE = forecast -> { };

    void published(Forecast forecast);

    /** The key was dropped for idleness ({@code learner.key.ttl}): if it returns, it starts cold. */
    default void expired(String seriesId) {
    }
}
