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
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the StreamGRU topology from its one configuration, as in docs/ARCHITECTURE.md:
 * <pre>
 * input topics ─▶ learner (key-state) ─▶ forecasts, dlq, gradients
 * gradients (1 partition) ─▶ optimizer (optimizer-state) ─▶ model (compacted)
 * model ─▶ global model-store, read by every learner and the optimizer
 * </pre>
 */
public final class StreamGruTopology {

    private StreamGruTopology() {
    }

    /**
     * @param inputPartitions partitions of the input (one learner task each), for the optimizer's window
     * @param decoders one decoder per learner task (decoders keep per-instance buffers)
     * @param encoders one forecast encoder per learner task
     */
    public static Topology build(StreamGruConfig config, String configHash, int inputPartitions,
                                 Supplier<RecordDecoder> decoders, Supplier<ForecastEncoder> encoders,
                                 StreamGruMetrics metrics) {
        Topology t = new Topology();
        ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        ByteArraySerializer bytesOut = new ByteArraySerializer();

        t.addSource("input", bytesIn, bytesIn, config.input().topics().toArray(new String[0]));
        t.addProcessor("learner", () -> new LearnerProcessor(config.learner(), config.modelName(), configHash,
                config.output().topic(), config.streaming().gradientFlushMs(), config.streaming().gradientPrecision(),
                decoders.get(), encoders.get(),
                metrics), "input");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.KEY_STATE),
                Serdes.String(), Serdes.ByteArray()), "learner");
        t.addSink(LearnerProcessor.TO_FORECASTS, config.output().topic(), bytesOut, bytesOut, "learner");
        t.addSink(LearnerProcessor.TO_DEAD_LETTERS, config.deadLetterTopic(), bytesOut, bytesOut, "learner");
        t.addSink(LearnerProcessor.TO_GRADIENTS, config.gradientsTopic(), bytesOut, bytesOut, "learner");

        t.addSource("gradients", bytesIn, bytesIn, config.gradientsTopic());
        t.addProcessor("optimizer", () -> new OptimizerProcessor(config.learner(), config.modelName(), configHash,
                config.streaming().maxStaleness(), config.optimizerSamples(inputPartitions), metrics), "gradients");
        // Its values are whole model versions: the changelog must take messages as large as the model.
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.OPTIMIZER_STATE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(config.streaming().maxMessageBytes())))
                // Cached: the changelog gets the newest version once per commit, not every version (exact:
                // the cache is flushed before each commit, so store, changelog and model topic agree).
                .withCachingEnabled(), "optimizer");
        t.addSink(OptimizerProcessor.TO_MODEL, config.modelTopic(), bytesOut, bytesOut, "optimizer");

        // In memory: get() then hands back the stored bytes without a copy; the topic is the backup.
        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.MODEL),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "model-source", bytesIn, bytesIn, config.modelTopic(), "model-updater", ModelStoreUpdater::new);
        return t;
    }
}
