package io.streamgru.app.topology;

/** Names of the state stores of the StreamGRU topology (processors look them up by name). */
public final class StoreNames {

    /** Per-key series state (hidden states, pending chunk, pending forecasts): RocksDB, changelogged. */
    public static final String KEY_STATE = "key-state";
    /** Per learner task, what it learned beyond its keys ({@link LearnerTaskState}): in memory, changelogged. */
    public static final String LEARNER_STATE = "learner-state";
    /** The optimizer's parameters, moments and version: changelogged. */
    public static final String OPTIMIZER_STATE = "optimizer-state";
    /** The newest published model version, in every instance (global store over the model topic). */
    public static final String MODEL = "model-store";

    private StoreNames() {
    }

    /** The changelog topic Kafka Streams keeps for {@code store} of the application {@code applicationId}. */
    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
