package io.streamgru.app.topology;

import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import io.streamgru.app.versions.VersionRequest;
import io.streamgru.app.versions.VersionRequestCodec;
import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.online.TrainingStep;
import io.streamgru.model.optim.StepOutcome;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * {@code samplesPerStep} samples (more while batches arrive more than {@code targetStaleness}
 * versions behind, see {@link AdaptiveStepSize}), then averaged, clipped and applied as one optimizer step; the
 * result is published as the next version. Gathering about one batch from every task per step keeps
 * the step rate, and so the version lag of the batches in flight, independent of the partition count.
 * Stale, non-finite or foreign batches are dropped and counted, never applied.
 *
 * <p>While it runs it is the one writer of versions: replay, import and rollback send it a
 * {@link VersionRequest} on the gradients topic, and it publishes the requested contents as its next
 * version. A version published by someone else while no optimizer ran that is newer than the
 * optimizer's own is adopted whole — parameters, optimizer state, statistics, number — before the
 * next batch; batches computed on versions before it are then stale. Every version goes to the
 * model topic; at most one per {@code historyIntervalMs} also goes to the history topic, so
 * versions can be listed, exported and rolled back to after compaction.
 *
 * <p>Drifts: a batch whose learner task saw drift detections since its previous batch is one drift
 * report to the configured {@link DriftPolicy} ({@code learner.drift.policy}, none by default),
 * whether or not its gradient is still usable: the detections are facts about the series. The
 * policy then multiplies the scheduled rate of the next steps, or zeroes the optimizer's moments
 * before the next step. Its state (an active boost, a pending reset, counters) is kept in the
 * optimizer's store under {@link #policyKey}, so a restart does not end a boost early.
 */
public final class OptimizerProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    public static final String TO_MODEL = "model-sink";
    public static final String TO_HISTORY = "model-history-sink";

    private static final Logger LOG = LoggerFactory.getLogger(OptimizerProcessor.class);

    private final LearnerConfig config;
    private final String modelName;
    private final String configHash;
    private final int maxStaleness;
    private final int samplesPerStep;
    private final AdaptiveStepSize stepSize;
    private final long historyIntervalMs;
    private final StreamGruMetrics metrics;
    private final byte[] key;

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, byte[]> store;
    private KeyValueStore<String, byte[]> published;
    private double[] parameters;
    private TrainingStep training;
    private WelfordNormalizer incomingFeatures;
    private WelfordNormalizer incomingTarget;
    private long version;
    private long samplesTrained;
    /** The newest published version refused: not read again. */
    private long refusedVersion = Long.MIN_VALUE;
    /** Batches computed on a version before this one belong to a replaced lineage. */
    private long oldestUsableVersion;
    private long lastHistoryAt = Long.MIN_VALUE;
    private String policyKey;

    public OptimizerProcessor(LearnerConfig config, String modelName, String configHash, int maxStaleness,
                              int samplesPerStep, int targetStaleness, long historyIntervalMs,
                              StreamGruMetrics metrics) {
        this.samplesPerStep = samplesPerStep;
        this.stepSize = new AdaptiveStepSize(samplesPerStep, targetStaleness);
        this.historyIntervalMs = historyIntervalMs;
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
        this.published = context.getStateStore(StoreNames.MODEL);
        this.incomingFeatures = SeriesLearner.newFeatureNormalizer(config);
        this.incomingTarget = SeriesLearner.newTargetNormalizer();
        byte[] own = store.get(modelName);
        ModelVersion start = own != null ? ModelVersionCodec.decode(own) : ModelVersion.initial(config, configHash);
        continueFrom(start);
        this.policyKey = policyKey(modelName);
        restorePolicy();
        ModelVersion newer = newerPublishedVersion();
        if (newer != null) {
            adopt(newer);
        }
        metrics.modelLoaded(version);
        LOG.info("optimizer for model '{}' starts at version {} ({} samples trained)", modelName, version,
                samplesTrained);
    }

    /** Takes the parameters, optimizer state, statistics and number of {@code start}; gathered gradients are dropped. */
    private void continueFrom(ModelVersion start) {
        this.parameters = start.parameters().clone();
        TrainingStep previous = training;
        this.training = new TrainingStep(config, samplesPerStep, start.optimizerState(), start.featureStats(),
                start.targetStats());
        if (previous != null) {
            // The drift policy's state (an active boost, counters) outlives a change of lineage.
            training.driftPolicy().importState(previous.driftPolicy().exportState());
        }
        this.version = start.version();
        this.samplesTrained = start.samplesTrained();
        metrics.versionSeen(version);
    }

    /**
     * A published version newer than the optimizer's own (someone else published it), else null. A
     * version that cannot be read or used (not finite, another shape, an optimizer state that does
     * not fit) is refused once with a log line, as the learners refuse it, and the optimizer goes on
     * with its own lineage.
     */
    private ModelVersion newerPublishedVersion() {
        byte[] latest = published.get(modelName);
        if (latest == null) {
            return null;
        }
        long number = Long.MIN_VALUE;
        ModelVersion v;
        try {
            number = ModelVersionCodec.version(latest);
            if (number <= version || number == refusedVersion) {
                return null;
            }
            v = ModelVersionCodec.decode(latest);
        } catch (RuntimeException e) {
            return refuse(number, "unreadable: " + e.getMessage());
        }
        ModelTracker.requireConfiguration(v, modelName, configHash);
        String why = ModelTracker.unusable(v, parameters.length);
        if (why == null) {
            try {
                TrainingStep.checkFits(config, v.optimizerState(), v.featureStats(), v.targetStats());
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        return why == null ? v : refuse(number, why);
    }

    private ModelVersion refuse(long number, String why) {
        if (number != refusedVersion) {
            refusedVersion = number;
            LOG.warn("optimizer for model '{}' refuses published version {} and stays on its version {} ({})",
                    modelName, number, version, why);
        }
        return null;
    }

    private void adopt(ModelVersion newer) {
        LOG.info("optimizer for model '{}' adopts published version {} ({}) in place of its version {}",
                modelName, newer.version(), newer.origin(), version);
        continueFrom(newer);
        oldestUsableVersion = newer.version();
        // A restart continues from the adopted version, not from the replaced lineage.
        store.put(modelName, ModelVersionCodec.encode(newer));
    }

    /**
     * Applies one batch. A batch that cannot be read, is not finite, or fails to apply for any other
     * reason is skipped, counted in {@code rejectedBatches} and logged once with its source: Kafka
     * Streams would otherwise replace the thread and hand it the same batch again, forever, and the
     * model would stop advancing.
     */
    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            apply(record);
        } catch (KafkaException | IllegalStateException e) {
            throw e; // Kafka's own (a task migrated, a send failed) and a wrong deployment are not the batch's fault
        } catch (RuntimeException e) {
            metrics.rejectedBatches.increment();
            LOG.warn("skipped a gradient batch that failed to apply (offset {}): {}", context.recordMetadata()
                    .map(m -> Long.toString(m.offset())).orElse("?"), e.toString());
        }
    }

    private void apply(Record<byte[], byte[]> record) {
        if (VersionRequestCodec.isRequest(record.value())) {
            publishRequested(record);
            return;
        }
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
        ModelVersion newer = newerPublishedVersion();
        if (newer != null) {
            adopt(newer);
        }
        if (batch.driftDetections() > 0) {
            hearDrifts(batch);
        }
        long lag = version - batch.basedOnVersion();
        if (lag > maxStaleness || batch.basedOnVersion() < oldestUsableVersion) {
            metrics.staleBatchesDropped.increment();
            return;
        }
        try {
            // Validates the statistics before anything of the batch is used (importState checks them).
            incomingFeatures.importState(batch.featureStatsDelta());
            incomingTarget.importState(batch.targetStatsDelta());
        } catch (IllegalArgumentException e) {
            metrics.rejectedBatches.increment();
            LOG.warn("dropped a gradient batch from {} (version {}) with invalid statistics: {}", batch.source(),
                    batch.basedOnVersion(), e.getMessage());
            return;
        }
        if (!training.addBatch(batch.gradientSum(), batch.samples(), batch.lossSum())) {
            metrics.rejectedBatches.increment();
            LOG.warn("dropped a gradient batch with non-finite numbers from {} (version {})", batch.source(),
                    batch.basedOnVersion());
            return;
        }
        training.mergeStatistics(incomingFeatures, incomingTarget);
        samplesTrained += batch.samples();
        metrics.batchApplied(lag);
        stepSize.batchApplied(lag);
        if (training.windowSamples() >= stepSize.samplesPerStep()) {
            long started = System.nanoTime();
            StepOutcome outcome = training.step(parameters);
            metrics.optimizerStep.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (training.lastStepResetMoments()) {
                savePolicy();
            }
            if (outcome == StepOutcome.APPLIED) {
                stepSize.stepTaken();
                metrics.samplesPerStep.set(stepSize.samplesPerStep());
                publish(record.timestamp());
            }
        }
    }

    /**
     * A {@link VersionRequest} (import, rollback, replay while this optimizer runs): its contents
     * become the next version, numbered after this optimizer's own, published to both model topics
     * with the request's id in a header, and trained on from there; batches computed on earlier
     * versions are then stale. Being the one writer of versions is what keeps the history one line.
     * A request that cannot be used is refused with a log line; nothing is published for it.
     */
    private void publishRequested(Record<byte[], byte[]> record) {
        VersionRequest request;
        try {
            request = VersionRequestCodec.decode(record.value());
        } catch (RuntimeException e) {
            metrics.rejectedBatches.increment();
            LOG.warn("dropped an unreadable version request: {}", e.getMessage());
            return;
        }
        ModelVersion newer = newerPublishedVersion();
        if (newer != null) {
            adopt(newer);
        }
        ModelVersion contents = request.contents();
        String why = !contents.configHash().equals(configHash)
                ? "it belongs to configuration " + contents.configHash() + ", this optimizer runs " + configHash
                : ModelTracker.unusable(contents, parameters.length);
        if (why == null) {
            try {
                TrainingStep.checkFits(config, contents.optimizerState(), contents.featureStats(),
                        contents.targetStats());
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        if (why != null) {
            LOG.warn("optimizer for model '{}' refuses the {} request {}: {}", modelName, request.origin(),
                    request.id(), why);
            return;
        }
        ModelVersion next = contents.renumbered(version + 1, request.origin(), context.currentSystemTimeMs());
        LOG.info("optimizer for model '{}' publishes the {} request {} as version {}", modelName, request.origin(),
                request.id(), next.version());
        continueFrom(next);
        oldestUsableVersion = next.version();
        byte[] bytes = ModelVersionCodec.encode(next);
        store.put(modelName, bytes);
        Headers headers = new RecordHeaders().add(VersionRequest.HEADER,
                request.id().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(key, bytes, record.timestamp(), headers), TO_MODEL);
        context.forward(new Record<>(key, bytes, record.timestamp(), headers), TO_HISTORY);
    }

    /** The optimizer store's key for the drift policy's state of model {@code modelName}. */
    public static String policyKey(String modelName) {
        return modelName + "/drift-policy";
    }

    private void hearDrifts(GradientBatch batch) {
        if (training.onDrift()) {
            metrics.driftPolicyActions.increment();
            LOG.info("{} drift detection(s) reported by {}: drift policy {} acts from optimizer step {}",
                    batch.driftDetections(), batch.source(), training.driftPolicy().spec(),
                    training.optimizer().steps());
        }
        savePolicy();
    }

    private void savePolicy() {
        if (training.driftPolicy().kind() == DriftPolicy.Kind.NONE) {
            return; // nothing to keep: it never acts
        }
        store.put(policyKey, DriftPolicyCodec.encode(training.driftPolicy()));
    }

    private void restorePolicy() {
        byte[] saved = store.get(policyKey);
        if (saved == null || training.driftPolicy().kind() == DriftPolicy.Kind.NONE) {
            return;
        }
        try {
            DriftPolicyCodec.restore(saved, training.driftPolicy());
        } catch (IllegalArgumentException e) {
            LOG.warn("drift policy state of model '{}' unreadable ({}): starting it afresh", modelName, e.getMessage());
        }
    }

    private void publish(long timestamp) {
        version++;
        long now = context.currentSystemTimeMs();
        ModelVersion next = new ModelVersion(version, configHash, parameters.clone(),
                training.featureStats().exportState(), training.targetStats().exportState(),
                training.optimizer().exportState(), training.optimizer().steps(), samplesTrained, now,
                ModelVersion.FROM_OPTIMIZER, training.lastMeanLoss(), config.combine());
        byte[] bytes = ModelVersionCodec.encode(next);
        store.put(modelName, bytes);
        context.forward(new Record<>(key, bytes, timestamp), TO_MODEL);
        if (lastHistoryAt == Long.MIN_VALUE || now - lastHistoryAt >= historyIntervalMs) {
            lastHistoryAt = now;
            context.forward(new Record<>(key, bytes, timestamp), TO_HISTORY);
        }
        metrics.versionSeen(version);
    }
}
