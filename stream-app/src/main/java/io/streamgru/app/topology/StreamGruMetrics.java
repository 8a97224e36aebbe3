package io.streamgru.app.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamgru.app.input.InvalidRecordException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one StreamGRU application instance, registered in the {@link MeterRegistry} it is
 * given: the one source of its counts. The processors update them from their stream threads; the
 * {@code /metrics} endpoint, the demo's live view and {@code run}'s status line read the same meters.
 * Names are Micrometer's dotted ones; a Prometheus registry exposes {@code streamgru.records} as
 * {@code streamgru_records_total}, the optimizer step timer in seconds, and so on (README, "Metrics
 * and health").
 *
 * <p>No meter has a per-key or per-task tag: a million keys must not become a million series. The
 * only tags are bounded sets: the dead-letter {@code reason} (the reason codes of
 * {@link InvalidRecordException.Reason}), a gradient batch's {@code outcome} at the optimizer
 * ({@code applied}, {@code stale}, {@code skipped}) and the {@code forecaster} of an error
 * ({@code model}, {@code persistence}).
 *
 * <p>One instance per registry: a second one would share its counters but not its gauges.
 */
public final class StreamGruMetrics {

    /** Resolved forecasts in the rolling mean absolute errors. */
    public static final int ROLLING_WINDOW = 1000;

    private final MeterRegistry registry;
    final Counter records;
    final Counter forecasts;
    private final Map<InvalidRecordException.Reason, Counter> deadLettersByReason =
            new EnumMap<>(InvalidRecordException.Reason.class);
    final Counter deadLettersLost;
    final Counter gradientBatchesSent;
    final Counter gradientBatchesApplied;
    final Counter staleBatchesDropped;
    final Counter rejectedBatches;
    private final DistributionSummary batchVersionLag;
    private final DistributionSummary recordVersionLag;
    private final AtomicLong latestVersion = new AtomicLong();
    private final AtomicLong lastRecordVersionLag = new AtomicLong();
    final AtomicLong samplesPerStep = new AtomicLong();
    final Timer optimizerStep;
    final Counter scored;
    private final Counter modelAbsoluteError;
    private final Counter persistenceAbsoluteError;
    private final RollingErrors rolling = new RollingErrors(ROLLING_WINDOW);
    private final Counter intervals;
    private final Counter intervalsCovered;
    final Counter driftDetections;
    final Counter chunksCapped;
    final Counter driftPolicyActions;
    private final Counter streamThreadsReplaced;
    /** Published forecasts by the expert of largest weight in them (learner.combine): one counter per expert, no key tags. */
    private final Map<String, Counter> dominantExperts = new java.util.HashMap<>();
    private final Counter transactionsFenced;
    /** Keys in the key-state store of each learner task of this instance. */
    private final Set<AtomicLong> keysPerTask = ConcurrentHashMap.newKeySet();
    private final Counter keysExpired;
    private volatile boolean modelLoaded;
    private final ForecastListener forecastListener;

    /** Registers StreamGRU's meters in {@code registry}. */
    public StreamGruMetrics(MeterRegistry registry) {
        this(registry, ForecastListener.NONE);
    }

    /**
     * Registers StreamGRU's meters in {@code registry}; {@code forecastListener} also sees each forecast
     * counted (the dashboard's per-key chart: bounded, and never a meter tag).
     */
    public StreamGruMetrics(MeterRegistry registry, ForecastListener forecastListener) {
        this.registry = registry;
        this.forecastListener = forecastListener;
        records = counter("streamgru.records", "input records taken from the input topics (valid or not)");
        forecasts = counter("streamgru.forecasts", "forecasts published");
        for (InvalidRecordException.Reason reason : InvalidRecordException.Reason.values()) {
            deadLettersByReason.put(reason, Counter.builder("streamgru.dead.letters")
                    .description("records sent to the dead-letter topic, by reason code")
                    .tag("reason", reason.name()).register(registry));
        }
        deadLettersLost = counter("streamgru.dead.letters.lost",
                "dead letters the broker refused (logged and skipped instead)");
        gradientBatchesSent = counter("streamgru.gradient.batches.sent", "gradient batches sent by learner tasks");
        gradientBatchesApplied = batchOutcome("applied");
        staleBatchesDropped = batchOutcome("stale");
        rejectedBatches = batchOutcome("skipped");
        batchVersionLag = DistributionSummary.builder("streamgru.gradient.batch.version.lag")
                .description("versions an applied gradient batch's model was behind the optimizer's")
                .register(registry);
        recordVersionLag = DistributionSummary.builder("streamgru.record.version.lag")
                .description("versions a record's model was behind the newest this instance knew, "
                        + "for records forecast on an older version")
                .register(registry);
        gauge("streamgru.model.version", "the newest model version this instance has seen", latestVersion);
        gauge("streamgru.model.version.lag",
                "versions the model of the latest record was behind the newest this instance knew", lastRecordVersionLag);
        gauge("streamgru.optimizer.samples.per.step", "samples in the optimizer's last step (0 before it)",
                samplesPerStep);
        optimizerStep = Timer.builder("streamgru.optimizer.step").description("time of one optimizer step")
                .register(registry);
        Gauge.builder("streamgru.keys", keysPerTask, tasks -> tasks.stream().mapToLong(AtomicLong::get).sum())
                .description("keys in the key-state stores of this instance's learner tasks: new keys counted, "
                        + "plus those a task's store held when it started (kept in its learner-state; without one, "
                        + "counted up to 200,000, else RocksDB's estimate)")
                .strongReference(true).register(registry);
        keysExpired = counter("streamgru.keys.expired",
                "keys dropped with their state after no reading for learner.key.ttl (a returning one starts cold)");
        scored = counter("streamgru.forecasts.scored",
                "forecasts resolved against their actual, with a persistence forecast to compare");
        modelAbsoluteError = absoluteError("model");
        persistenceAbsoluteError = absoluteError("persistence");
        rollingMae("model", RollingErrors::modelMean);
        rollingMae("persistence", RollingErrors::persistenceMean);
        intervals = counter("streamgru.intervals.scored",
                "forecasts with a prediction interval resolved against their actual");
        intervalsCovered = counter("streamgru.intervals.covered",
                "of those, the forecasts whose interval held the actual (coverage = covered / scored)");
        driftDetections = counter("streamgru.drift.detections", "forecast errors that set off a series' drift detector");
        chunksCapped = counter("streamgru.learner.chunks.capped",
                "chunk gradients scaled down to learner.chunk.influence times the typical chunk's");
        driftPolicyActions = counter("streamgru.drift.policy.actions", "drifts the optimizer's drift policy acted on");
        streamThreadsReplaced = counter("streamgru.stream.threads.replaced",
                "stream threads that failed and were replaced");
        for (io.streamgru.model.experts.Expert expert : io.streamgru.model.experts.Expert.values()) {
            dominantExperts.put(expert.id(), Counter.builder("streamgru.forecasts.dominant.expert")
                    .description("forecasts published, by the expert of largest weight in the combination "
                            + "(learner.combine; none counted when it is off)")
                    .tag("expert", expert.id()).register(registry));
        }
        transactionsFenced = counter("streamgru.failover.transactions.fenced",
                "open transactions of instances gone from the group, ended at once instead of at their timeout");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private Counter batchOutcome(String outcome) {
        return Counter.builder("streamgru.gradient.batches.received")
                .description("gradient batches the optimizer received: applied, stale (dropped: too many versions "
                        + "behind) or skipped (unreadable, not finite, another configuration, failed to apply)")
                .tag("outcome", outcome).register(registry);
    }

    private Counter absoluteError(String forecaster) {
        return Counter.builder("streamgru.forecast.absolute.error")
                .description("sum of the absolute errors of scored forecasts, in the target's units")
                .tag("forecaster", forecaster).register(registry);
    }

    private void gauge(String name, String description, AtomicLong value) {
        Gauge.builder(name, value, AtomicLong::get).description(description).strongReference(true).register(registry);
    }

    private void rollingMae(String forecaster, java.util.function.ToDoubleFunction<RollingErrors> mean) {
        Gauge.builder("streamgru.rolling.mae", rolling, mean)
                .description("mean absolute error over the last " + ROLLING_WINDOW
                        + " scored forecasts of this instance, in the target's units")
                .tag("forecaster", forecaster).strongReference(true).register(registry);
    }

    /** The registry these meters live in (Kafka Streams' and the JVM's meters are bound to it too). */
    public MeterRegistry registry() {
        return registry;
    }

    public long records() {
        return (long) records.count();
    }

    /** Dead letters of every reason. */
    public long deadLetters() {
        double sum = 0;
        for (Counter c : deadLettersByReason.values()) {
            sum += c.count();
        }
        return (long) sum;
    }

    /** Dead letters with this reason code. */
    public long deadLetters(InvalidRecordException.Reason reason) {
        return (long) deadLettersByReason.get(reason).count();
    }

    void deadLetter(InvalidRecordException.Reason reason) {
        deadLettersByReason.get(reason).increment();
    }

    /** Counts a published forecast and shows it to the forecast listener. */
    void published(Forecast forecast) {
        forecasts.increment();
        if (forecast.expert() != null) {
            dominantExperts.get(forecast.expert()).increment();
        }
        forecastListener.published(forecast);
    }

    /** Forecasts published whose combination the expert {@code id} dominated. */
    public long forecastsDominatedBy(String id) {
        return (long) dominantExperts.get(id).count();
    }

    public long forecasts() {
        return (long) forecasts.count();
    }

    public long gradientBatchesSent() {
        return (long) gradientBatchesSent.count();
    }

    public long gradientBatchesApplied() {
        return (long) gradientBatchesApplied.count();
    }

    /** Batches dropped because their model version was more than the allowed staleness behind. */
    public long staleBatchesDropped() {
        return (long) staleBatchesDropped.count();
    }

    /** Batches skipped because they were unreadable, not finite, of another configuration or failed to apply. */
    public long rejectedBatches() {
        return (long) rejectedBatches.count();
    }

    /**
     * Records forecast with an older model version than the newest this instance knows of (its own
     * optimizer may be ahead of what the global store has delivered yet).
     */
    public long recordsOnOldVersion() {
        return recordVersionLag.count();
    }

    /** Mean number of versions a record's model was behind the newest known version. */
    public double meanRecordVersionLag() {
        double n = records.count();
        return n == 0 ? 0 : recordVersionLag.totalAmount() / n;
    }

    void recordProcessedOn(long version) {
        long lag = latestVersion.get() - version;
        lastRecordVersionLag.lazySet(Math.max(0, lag));
        if (lag > 0) {
            recordVersionLag.record(lag);
        }
    }

    /** Versions the model of the latest record was behind the newest this instance knew (the version lag gauge). */
    public long modelVersionLag() {
        return lastRecordVersionLag.get();
    }

    /** The newest model version this instance has seen (published or switched to). */
    public long latestVersion() {
        return latestVersion.get();
    }

    /** Samples the optimizer gathered for its last step (0 before its first step in this instance). */
    public long samplesPerStep() {
        return samplesPerStep.get();
    }

    /**
     * Largest version lag of an applied gradient batch in the recent past (Micrometer's decaying
     * maximum: about the last two minutes).
     */
    public long maxBatchVersionLag() {
        return (long) batchVersionLag.max();
    }

    /** Mean version lag of applied gradient batches. */
    public double meanBatchVersionLag() {
        long n = batchVersionLag.count();
        return n == 0 ? 0 : batchVersionLag.totalAmount() / n;
    }

    void batchApplied(long lag) {
        gradientBatchesApplied.increment();
        batchVersionLag.record(lag);
    }

    /** Optimizer steps this instance timed, and their total time in seconds. */
    public long optimizerSteps() {
        return optimizerStep.count();
    }

    /** One line with every counter, for logs. */
    public String summary() {
        return summary(keys());
    }

    /**
     * {@link #summary()} with {@code keysHeld} for the keys: after a stop the tasks hold none, and
     * the final line gives those held before it.
     */
    public String summary(long keysHeld) {
        return String.format(Locale.ROOT, "%,d records, %,d forecasts, %,d dead letters, model v%d, "
                        + "gradient batches %,d sent / %,d applied / %,d stale dropped / %,d rejected, "
                        + "batch version lag mean %.1f max %d, %d samples per step, records on an old version %,d (mean lag %.2f), "
                        + "MAE %s (persistence %s), keys %,d, "
                        + "drift detections %,d (acted on %,d), chunks capped %,d, dead letters lost %,d, "
                        + "stream threads replaced %,d",
                records(), forecasts(), deadLetters(), latestVersion(), gradientBatchesSent(), gradientBatchesApplied(),
                staleBatchesDropped(), rejectedBatches(), meanBatchVersionLag(), maxBatchVersionLag(),
                samplesPerStep(), recordsOnOldVersion(), meanRecordVersionLag(), shown(meanAbsoluteError()),
                shown(meanPersistenceError()), keysHeld, driftDetections(), driftPolicyActions(), chunksCapped(),
                deadLettersLost(), streamThreadsReplaced());
    }

    /** An error to 4 significant digits, or "—" while none has been scored (never NaN). */
    private static String shown(double error) {
        return Double.isNaN(error) ? "—" : String.format(Locale.ROOT, "%.4g", error);
    }

    /** Forecasts published with {@code drift} set: a series' drift detector fired (learner.drift.detector). */
    public long driftDetections() {
        return (long) driftDetections.count();
    }

    /** Drifts the optimizer's drift policy acted on (a learning-rate boost started or the moments zeroed). */
    public long driftPolicyActions() {
        return (long) driftPolicyActions.count();
    }

    /** Counts a resolved forecast: its absolute error and that of the persistence forecast of the same step. */
    void scored(double modelError, double persistenceError) {
        scored.increment();
        modelAbsoluteError.increment(modelError);
        persistenceAbsoluteError.increment(persistenceError);
        rolling.add(modelError, persistenceError);
    }

    /** Counts a resolved forecast that had a prediction interval, and whether the interval held the actual. */
    void intervalResolved(boolean covered) {
        intervals.increment();
        if (covered) {
            intervalsCovered.increment();
        }
    }

    /** Share of the resolved forecasts with an interval whose interval held the actual (NaN before any). */
    public double intervalCoverage() {
        double n = intervals.count();
        return n == 0 ? Double.NaN : intervalsCovered.count() / n;
    }

    /** Forecasts scored so far (resolved, with a persistence forecast to compare). */
    public long scoredForecasts() {
        return (long) scored.count();
    }

    /** Mean absolute error of the forecasts scored so far (NaN before any). */
    public double meanAbsoluteError() {
        double n = scored.count();
        return n == 0 ? Double.NaN : modelAbsoluteError.count() / n;
    }

    /** Mean absolute error of persistence (the last actual) over the same forecasts (NaN before any). */
    public double meanPersistenceError() {
        double n = scored.count();
        return n == 0 ? Double.NaN : persistenceAbsoluteError.count() / n;
    }

    /** The model's mean absolute error over the last {@link #ROLLING_WINDOW} scored forecasts (NaN before any). */
    public double rollingModelMae() {
        return rolling.modelMean();
    }

    /** Persistence's mean absolute error over the same forecasts (NaN before any). */
    public double rollingPersistenceMae() {
        return rolling.persistenceMean();
    }

    /** Forecasts in the rolling means: {@link #ROLLING_WINDOW}, or fewer at first. */
    public int rollingCount() {
        return rolling.size();
    }

    /** Dead letters that could not be written to the dead-letter topic (logged instead; see DeadLetterProductionHandler). */
    public long deadLettersLost() {
        return (long) deadLettersLost.count();
    }

    /** Stream threads that failed and were replaced (each resumes from the last commit). */
    public long streamThreadsReplaced() {
        return (long) streamThreadsReplaced.count();
    }

    /** Counts a failed stream thread that is being replaced. */
    public void streamThreadReplaced() {
        streamThreadsReplaced.increment();
    }

    /** Counts the open transaction of a gone instance, ended by this one (runtime.DeadInstanceFencer). */
    public void transactionFenced() {
        transactionsFenced.increment();
    }

    /** Open transactions of gone instances this instance ended. */
    public long transactionsFenced() {
        return (long) transactionsFenced.count();
    }

    /**
     * Keys held by this instance's learner tasks: each task's new keys counted exactly, on top of
     * what its store held when the task started (after a restart or rebalance: the count its
     * learner-state kept; without one, counted, or RocksDB's estimate beyond 200,000 entries).
     */
    public long keys() {
        return keysPerTask.stream().mapToLong(AtomicLong::get).sum();
    }

    /**
     * A learner task's key count, starting at {@code keysAtStart}, summed into {@link #keys()} until
     * {@link #taskClosed} is called.
     */
    AtomicLong taskOpened(long keysAtStart) {
        AtomicLong keys = new AtomicLong(keysAtStart);
        keysPerTask.add(keys);
        return keys;
    }

    /** Chunk gradients the learners capped ({@code learner.chunk.influence}), since this instance started. */
    public long chunksCapped() {
        return (long) chunksCapped.count();
    }

    /** Keys dropped for idleness ({@code learner.key.ttl}) by this instance's learner tasks. */
    public long keysExpired() {
        return (long) keysExpired.count();
    }

    /** Counts a key dropped for idleness and tells the forecast listener (the dashboard forgets it). */
    void keyExpired(String seriesId) {
        keysExpired.increment();
        forecastListener.expired(seriesId);
    }

    void taskClosed(AtomicLong keys) {
        keysPerTask.remove(keys);
    }

    /** Whether a learner task or the optimizer of this instance has taken a model version (the seed's counts). */
    public boolean modelLoaded() {
        return modelLoaded;
    }

    void modelLoaded(long version) {
        versionSeen(version);
        modelLoaded = true;
    }

    void versionSeen(long version) {
        latestVersion.accumulateAndGet(version, Math::max);
    }

    /** The seconds an optimizer step took, for tests and the bench: the timer's total. */
    public double optimizerStepSeconds() {
        return optimizerStep.totalTime(TimeUnit.SECONDS);
    }
}
