package io.streamgru.app.topology;

import io.streamgru.app.model.ModelVersion;
import io.streamgru.app.model.ModelVersionCodec;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OptimizerKind;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.optim.GradientAccumulator;
import io.streamgru.model.optim.Optimizer;
import io.streamgru.model.optim.ScheduleSpec;
import io.streamgru.model.optim.StepOutcome;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one optimizer (the gradients topic has one partition, so one task): owns the parameters,
 * the optimizer's moments and the version counter, in a changelogged store. Gradient batches
 * computed on a version at most {@code maxStaleness} behind are gathered until they hold
 * {@code samplesPerStep} samples, then averaged, clipped and applied as one optimizer step; the
 * result is published as the next version. Gathering about one batch from every task per step keeps
 * the step rate, and so the version lag of the batches in flight, independent of the partition count.
 * Stale, non-finite or foreign batches are dropped and counted, never applied.
 */
public final class OptimizerProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    public static final String TO_MODEL = "model-sink";

    private static final Logger LOG = LoggerFactory.getLogger(OptimizerProcessor.class);

    private final LearnerConfig config;
    private final String modelName;
    private final String configHash;
    private final int maxStaleness;
    private final int samplesPerStep;
    private final StreamGruMetrics metrics;
    private final byte[] key;

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> store;
    private double[] parameters;
    private Optimizer optimizer;
    private GradientAccumulator accumulator;
    private WelfordNormalizer featureStats;
    private WelfordNormalizer targetStats;
    private WelfordNormalizer incomingFeatures;
    private WelfordNormalizer incomingTarget;
    private long version;
    private long samplesTrained;

    public OptimizerProcessor(LearnerConfig config, String modelName, String configHash, int maxStaleness,
                              int samplesPerStep, StreamGruMetrics metrics) {
        this.samplesPerStep = samplesPerStep;
        this.config = config;
        this.modelName = modelName;
        this.configHash = configHash;
        this.maxStaleness = maxStaleness;
        this.metrics = metrics;
        this.key = modelName.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.OPTIMIZER_STATE);
        ModelVersion start = startingPoint();
        int size = new ParameterLayout(config.gruConfig()).size();
        this.parameters = start.parameters().clone();
        this.optimizer = OptimizerKind.named(config.optimizer()).create(size, config.weightDecay());
        if (start.optimizerState().length > 0) {
            optimizer.importState(start.optimizerState());
        }
        this.accumulator = new GradientAccumulator(size, samplesPerStep, optimizer,
                ScheduleSpec.parse(config.schedule(), config.learningRate()), config.clip());
        this.featureStats = SeriesLearner.newFeatureNormalizer(config);
        this.targetStats = SeriesLearner.newTargetNormalizer();
        featureStats.importState(start.featureStats());
        targetStats.importState(start.targetStats());
        this.incomingFeatures = SeriesLearner.newFeatureNormalizer(config);
        this.incomingTarget = SeriesLearner.newTargetNormalizer();
        this.version = start.version();
        this.samplesTrained = start.samplesTrained();
        metrics.versionSeen(version);
        LOG.info("optimizer for model '{}' starts at version {} ({} samples trained)", modelName, version,
                samplesTrained);
    }

    /**
     * This task's own store (after a restart), else the newest published version (whose optimizer
     * moments are not published: the optimizer then starts them afresh), else version 0.
     */
    private ModelVersion startingPoint() {
        byte[] own = store.get(modelName);
        if (own != null) {
            return ModelVersionCodec.decode(own);
        }
        KeyValueStore<String, byte[]> published = context.getStateStore(StoreNames.MODEL);
        byte[] latest = published.get(modelName);
        if (latest != null) {
            ModelVersion v = ModelVersionCodec.decode(latest);
            if (v.configHash().equals(configHash)) {
                return v;
            }
            throw new IllegalStateException("model '" + modelName + "' belongs to configuration " + v.configHash()
                    + ", this application runs " + configHash);
        }
        return ModelVersion.initial(config, configHash);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        GradientBatch batch;
        try {
            batch = GradientBatchCodec.decode(record.value());
        } catch (RuntimeException e) {
            metrics.rejectedBatches.increment();
            LOG.warn("dropped an unreadable gradient batch: {}", e.getMessage());
            return;
        }
        if (!batch.configHash().equals(configHash)) {
            metrics.rejectedBatches.increment();
            LOG.warn("dropped a gradient batch of configuration {} from {} (this optimizer runs {})",
                    batch.configHash(), batch.source(), configHash);
            return;
        }
        long lag = version - batch.basedOnVersion();
        if (lag > maxStaleness) {
            metrics.staleBatchesDropped.increment();
            return;
        }
        if (!accumulator.addBatch(batch.gradientSum(), batch.samples(), batch.lossSum())) {
            metrics.rejectedBatches.increment();
            LOG.warn("dropped a gradient batch with non-finite numbers from {}", batch.source());
            return;
        }
        incomingFeatures.importState(batch.featureStatsDelta());
        incomingTarget.importState(batch.targetStatsDelta());
        featureStats.merge(incomingFeatures);
        targetStats.merge(incomingTarget);
        samplesTrained += batch.samples();
        metrics.batchApplied(lag);
        if (accumulator.ready() && accumulator.step(parameters) == StepOutcome.APPLIED) {
            publish(record.timestamp());
        }
    }

    private void publish(long timestamp) {
        version++;
        ModelVersion next = new ModelVersion(version, configHash, parameters.clone(), featureStats.exportState(),
                targetStats.exportState(), optimizer.exportState(), optimizer.steps(), samplesTrained,
                context.currentSystemTimeMs());
        store.put(modelName, ModelVersionCodec.encode(next));
        // The learners need no optimizer moments (2/3 of an Adam version's bytes): only this store keeps them.
        context.forward(new Record<>(key, ModelVersionCodec.encode(next.withoutOptimizerState()), timestamp), TO_MODEL);
        metrics.versionSeen(version);
    }
}
