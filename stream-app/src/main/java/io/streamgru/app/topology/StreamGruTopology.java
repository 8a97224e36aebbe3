package io.streamgru.app.topology;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.RecordDecoder;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the StreamGRU topologies from its one configuration, as in docs/ARCHITECTURE.md:
 * <pre>
 * learners:  input topics ─▶ learner (key-state) ─▶ forecasts, dlq, gradients
 * optimizer: gradients (1 partition) ─▶ optimizer (optimizer-state) ─▶ model (compacted), model-history
 * both:      model ─▶ global model-store, read by every learner and by the optimizer
 * </pre>
 * The learners and the optimizer run as two Kafka Streams applications ({@link #learners},
 * {@link #optimizer}) so the optimizer has its own thread and consumer: in one application it
 * shared a stream thread with the learner tasks and was starved while they worked off a backlog,
 * so the learners' gradients went stale before it saw them. {@link #build} joins both in one
 * topology for tests with {@code TopologyTestDriver}.
 */
public final class StreamGruTopology {

    private static final ByteArrayDeserializer BYTES_IN = new ByteArrayDeserializer();
    private static final ByteArraySerializer BYTES_OUT = new ByteArraySerializer();

    private StreamGruTopology() {
    }

    /**
     * The learners' application.
     *
     * @param decoders one decoder per learner task (decoders keep per-instance buffers)
     * @param encoders one forecast encoder per learner task
     */
    public static Topology learners(StreamGruConfig config, String configHash, Supplier<RecordDecoder> decoders,
                                    Supplier<ForecastEncoder> encoders, StreamGruMetrics metrics) {
        return learners(config, configHash, decoders, encoders, metrics, DeadLetters.unlimited());
    }

    /** The learners' application, writing dead letters cut to what the dead-letter topic accepts. */
    public static Topology learners(StreamGruConfig config, String configHash, Supplier<RecordDecoder> decoders,
                                    Supplier<ForecastEncoder> encoders, StreamGruMetrics metrics,
                                    DeadLetters deadLetters) {
        Topology t = new Topology();
        addLearners(t, config, configHash, decoders, encoders, metrics, deadLetters);
        addModelStore(t, config);
        return t;
    }

    /**
     * The optimizer's application.
     *
     * @param inputPartitions partitions of the input (one learner task each), for the optimizer's step size
     */
    public static Topology optimizer(StreamGruConfig config, String configHash, int inputPartitions,
                                     StreamGruMetrics metrics) {
        Topology t = new Topology();
        addOptimizer(t, config, configHash, inputPartitions, metrics);
        addModelStore(t, config);
        return t;
    }

    /** Learners and optimizer in one topology, for {@code TopologyTestDriver}. */
    public static Topology build(StreamGruConfig config, String configHash, int inputPartitions,
                                 Supplier<RecordDecoder> decoders, Supplier<ForecastEncoder> encoders,
                                 StreamGruMetrics metrics) {
        Topology t = new Topology();
        addLearners(t, config, configHash, decoders, encoders, metrics, DeadLetters.unlimited());
        addOptimizer(t, config, configHash, inputPartitions, metrics);
        addModelStore(t, config);
        return t;
    }

    private static void addLearners(Topology t, StreamGruConfig config, String configHash,
                                    Supplier<RecordDecoder> decoders, Supplier<ForecastEncoder> encoders,
                                    StreamGruMetrics metrics, DeadLetters deadLetters) {
        t.addSource("input", BYTES_IN, BYTES_IN, config.input().topics().toArray(new String[0]));
        t.addProcessor("learner", () -> new LearnerProcessor(config.learner(), config.modelName(), configHash,
                config.output().topic(), config.gradientBatchSamples(), config.streaming().gradientFlushMs(),
                config.streaming().gradientPrecision(), config.input().time() != null,
                decoders.get(), encoders.get(),
                metrics, deadLetters), "input");
        t.addStateStore(keyStateStore(), "learner");
        t.addStateStore(learnerStateStore(), "learner");
        t.addSink(LearnerProcessor.TO_FORECASTS, config.output().topic(), BYTES_OUT, BYTES_OUT, "learner");
        t.addSink(LearnerProcessor.TO_DEAD_LETTERS, config.deadLetterTopic(), BYTES_OUT, BYTES_OUT, "learner");
        t.addSink(LearnerProcessor.TO_GRADIENTS, config.gradientsTopic(), BYTES_OUT, BYTES_OUT, "learner");
    }

    /**
     * The learners' {@code key-state} store: RocksDB, changelogged, cached. Public so that a
     * benchmark's baseline can store its bytes in a store of the same kind.
     *
     * <p>Cached: a key written several times between two commits reaches RocksDB and the changelog
     * once, with its newest state. Exact under exactly-once as without it: Kafka Streams flushes the
     * cache into the store and the changelog before each commit, inside the transaction that also
     * commits the forecasts and the input offsets; a crash aborts that transaction and the store is
     * restored from the changelog, so the cache's contents are never needed after a failure. The
     * forecasts do not go through the cache (the learner forwards them itself), so they are not
     * delayed. A full cache ({@code statestore.cache.max.bytes}) writes its least recently used
     * keys early, so many keys cost writes, not memory.
     *
     * <p>Timestamped: beside each key's state, the record timestamp of its newest reading (8 bytes
     * in RocksDB; the changelog carries it as the record's timestamp, so its values stay the
     * encoded state), from which idle keys expire ({@code learner.key.ttl}). A store written by a
     * release before it is upgraded in place by Kafka Streams (its entries have no timestamp yet).
     */
    public static StoreBuilder<TimestampedKeyValueStore<String, byte[]>> keyStateStore() {
        return Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(StoreNames.KEY_STATE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled();
    }

    /**
     * The learners' {@code learner-state} store: one small entry per task ({@link LearnerTaskState}),
     * in memory and changelogged (restored whole when a task starts), cached so that the changelog
     * gets it once per commit however often it changes.
     */
    static StoreBuilder<KeyValueStore<String, byte[]>> learnerStateStore() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.LEARNER_STATE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled();
    }

    private static void addOptimizer(Topology t, StreamGruConfig config, String configHash, int inputPartitions,
                                     StreamGruMetrics metrics) {
        t.addSource("gradients", BYTES_IN, BYTES_IN, config.gradientsTopic());
        t.addProcessor("optimizer", () -> new OptimizerProcessor(config.learner(), config.modelName(), configHash,
                config.streaming().maxStaleness(), config.optimizerSamples(inputPartitions),
                config.streaming().targetStaleness(), config.streaming().historyIntervalMs(), metrics), "gradients");
        // Its values are whole model versions: the changelog must take messages as large as the model.
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.OPTIMIZER_STATE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(config.streaming().maxMessageBytes())))
                // Cached: the changelog gets the newest version once per commit, not every version (exact:
                // the cache is flushed before each commit, so store, changelog and model topic agree).
                .withCachingEnabled(), "optimizer");
        t.addSink(OptimizerProcessor.TO_MODEL, config.modelTopic(), BYTES_OUT, BYTES_OUT, "optimizer");
        t.addSink(OptimizerProcessor.TO_HISTORY, config.modelHistoryTopic(), BYTES_OUT, BYTES_OUT, "optimizer");
    }

    private static void addModelStore(Topology t, StreamGruConfig config) {
        // In memory: get() then hands back the stored bytes without a copy; the topic is the backup.
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.MODEL),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "model-source", BYTES_IN, BYTES_IN, config.modelTopic(), "model-updater", ModelStoreUpdater::new);
    }
}
