package io.streamgru.app.faults;

import java.time.Duration;

/**
 * How hard the fault suite pushes: {@code -Dfaults=full} for the full run (docs/RELIABILITY.md),
 * otherwise the short one CI runs in every build (the same scenarios, fewer faults, shorter streams).
 *
 * @param name           {@code short} or {@code full}
 * @param appKills       times the app is killed with {@code kill -9} mid-stream (one of them also loses its state directory)
 * @param readingsPerKey readings of each of the {@link #KEYS} keys in each scenario's stream
 * @param poisonWindow   how long the model's version rate is measured before and after the poison
 */
record FaultSuiteMode(String name, int appKills, int readingsPerKey, Duration poisonWindow) {

    /** Keys of every scenario's stream. */
    static final int KEYS = 6;
    /** Input partitions of every scenario. */
    static final int PARTITIONS = 4;
    /** Readings per second written, all keys together. */
    static final double RATE = 150;

    static FaultSuiteMode current() {
        return "full".equals(System.getProperty("faults"))
                ? new FaultSuiteMode("full", 6, 2_000, Duration.ofSeconds(45))
                : new FaultSuiteMode("short", 2, 500, Duration.ofSeconds(10));
    }

    /** Readings in a scenario's stream. */
    int readings() {
        return KEYS * readingsPerKey;
    }
}
