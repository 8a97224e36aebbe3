package io.streamgru.app.topology;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one StreamGRU application instance, shared by its stream threads (thread-safe) and
 * read by the live view and logs. Created by the application and passed to the processors.
 */
public final class StreamGruMetrics {

    final LongAdder records = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder forecasts = new LongAdder();
    final LongAdder gradientBatchesSent = new LongAdder();
    final LongAdder gradientBatchesApplied = new LongAdder();
    final LongAdder staleBatchesDropped = new LongAdder();
    final LongAdder rejectedBatches = new LongAdder();
    final AtomicLong latestVersion = new AtomicLong();
    final AtomicLong samplesPerStep = new AtomicLong();
    final LongAdder recordsOnOldVersion = new LongAdder();
    final LongAdder recordVersionLagSum = new LongAdder();
    final AtomicLong maxBatchVersionLag = new AtomicLong();
    final LongAdder batchVersionLagSum = new LongAdder();
    final LongAdder scored = new LongAdder();
    final DoubleAdder absoluteError = new DoubleAdder();
    final LongAdder driftDetections = new LongAdder();
    final LongAdder driftPolicyActions = new LongAdder();
    final LongAdder deadLettersLost = new LongAdder();
    final LongAdder streamThreadsReplaced = new LongAdder();

    public long records() {
        return records.sum();
    }

    public long deadLetters() {
        return deadLetters.sum();
    }

    public long forecasts() {
        return forecasts.sum();
    }

    public long gradientBatchesSent() {
        return gradientBatchesSent.sum();
    }

    public long gradientBatchesApplied() {
        return gradientBatchesApplied.sum();
    }

    /** Batches dropped because their model version was more than the allowed staleness behind. */
    public long staleBatchesDropped() {
        return staleBatchesDropped.sum();
    }

    /** Batches dropped because their numbers were not finite or belonged to another configuration. */
    public long rejectedBatches() {
        return rejectedBatches.sum();
    }

    /**
     * Records forecast with an older model version than the newest this instance knows of (its own
     * optimizer may be ahead of what the global store has delivered yet).
     */
    public long recordsOnOldVersion() {
        return recordsOnOldVersion.sum();
    }

    /** Mean number of versions a record's model was behind the newest known version. */
    public double meanRecordVersionLag() {
        long n = records.sum();
        return n == 0 ? 0 : (double) recordVersionLagSum.sum() / n;
    }

    void recordProcessedOn(long version) {
        long lag = latestVersion.get() - version;
        if (lag > 0) {
            recordsOnOldVersion.increment();
            recordVersionLagSum.add(lag);
        }
    }

    /** The newest model version this instance has seen (published or switched to). */
    public long latestVersion() {
        return latestVersion.get();
    }

    /** Samples the optimizer gathered for its last step (0 before its first step in this instance). */
    public long samplesPerStep() {
        return samplesPerStep.get();
    }

    /** Largest version lag of an applied gradient batch. */
    public long maxBatchVersionLag() {
        return maxBatchVersionLag.get();
    }

    /** Mean version lag of applied gradient batches. */
    public double meanBatchVersionLag() {
        long n = gradientBatchesApplied.sum();
        return n == 0 ? 0 : (double) batchVersionLagSum.sum() / n;
    }

    /** One line with every counter, for logs. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%,d records, %,d forecasts, %,d dead letters, model v%d, "
                        + "gradient batches %,d sent / %,d applied / %,d stale dropped / %,d rejected, "
                        + "batch version lag mean %.1f max %d, %d samples per step, records on an old version %,d (mean lag %.2f), MAE %.4g, "
                        + "drift detections %,d (acted on %,d), dead letters lost %,d, stream threads replaced %,d",
                records(), forecasts(), deadLetters(), latestVersion(), gradientBatchesSent(), gradientBatchesApplied(),
                staleBatchesDropped(), rejectedBatches(), meanBatchVersionLag(), maxBatchVersionLag(),
                samplesPerStep(), recordsOnOldVersion(), meanRecordVersionLag(), meanAbsoluteError(), driftDetections(),
                driftPolicyActions(), deadLettersLost(), streamThreadsReplaced());
    }

    /** Forecasts published with {@code drift} set: a series' drift detector fired (learner.drift.detector). */
    public long driftDetections() {
        return driftDetections.sum();
    }

    /** Drifts the optimizer's drift policy acted on (a learning-rate boost started or the moments zeroed). */
    public long driftPolicyActions() {
        return driftPolicyActions.sum();
    }

    /** Mean absolute error of the forecasts resolved so far. */
    public double meanAbsoluteError() {
        long n = scored.sum();
        return n == 0 ? Double.NaN : absoluteError.sum() / n;
    }

    void versionSeen(long version) {
        latestVersion.accumulateAndGet(version, Math::max);
    }

    void batchApplied(long lag) {
        gradientBatchesApplied.increment();
        batchVersionLagSum.add(lag);
        maxBatchVersionLag.accumulateAndGet(lag, Math::max);
    }

    /** Dead letters that could not be written to the dead-letter topic (logged instead; see DeadLetterProductionHandler). */
    public long deadLettersLost() {
        return deadLettersLost.sum();
    }

    /** Stream threads that failed and were replaced (each resumes from the last commit). */
    public long streamThreadsReplaced() {
        return streamThreadsReplaced.sum();
    }

    /** Counts a failed stream thread that is being replaced. */
    public void streamThreadReplaced() {
        streamThreadsReplaced.increment();
    }
}
