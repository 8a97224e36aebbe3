package io.streamgru.app.topology;

import io.streamgru.app.config.GradientPrecision;
import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.input.Observation;
import io.streamgru.app.input.RecordDecoder;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.ReadingOrder;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.SeriesStateCodec;
import io.streamgru.model.optim.GradientWindow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner, one per input partition (task). For each record: decode it (invalid → dead-letter
 * topic with the reason), switch to the newest model version, advance the key's hidden state and
 * forecast, learn from the key's completed chunks into this task's gradient window, save the key's
 * state, publish the forecast. A full window of at least {@code batchSamples} samples (more while the optimizer gathers
 * many samples per step, see {@link GradientBatchTarget}; or, via wall-clock punctuation, any non-empty window after
 * {@code gradientFlushMs}) goes to the optimizer as a {@link GradientBatch}.
 *
 * <p>Time: when readings carry their own event time ({@code input.time}), a reading at the same
 * time as its key's newest is a duplicate and one before it is late: both go to the dead-letter
 * topic (reasons DUPLICATE, LATE) instead of entering the model as the next step. Without a time
 * field the event time is the record's timestamp, which producers often give several readings of
 * a key alike, so the partition's order is the series' order and nothing is dropped.
 *
 * <p>Idle keys ({@code learner.key.ttl}): the store keeps each key's newest record timestamp beside
 * its state; a key whose newest reading is a TTL or more behind the task's stream time is dropped,
 * by a sweep each wall-clock second ({@link IdleKeyExpiry}) or, if it returns before the sweep
 * reached it, when it returns: either way it starts cold, as a new key.
 *
 * <p>The task's own state ({@link LearnerTaskState} in the {@code learner-state} store: the typical
 * chunk norm the influence cap measures against, the number of keys) is restored when the task
 * starts and saved as it changes, so a restarted or moved task caps its first chunks as before.
 */
public final class LearnerProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    /** Child names: where each kind of output goes. */
    public static final String TO_FORECASTS = "forecasts-sink";
    public static final String TO_DEAD_LETTERS = "dlq-sink";
    public static final String TO_GRADIENTS = "gradients-sink";
    /** How often idle keys are swept (each sweep visits at most {@link IdleKeyExpiry#KEYS_PER_SWEEP}). */
    static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(LearnerProcessor.class);
    /** The relative change of the typical chunk norm that is saved (smaller ones wait: see {@link #saveTaskState}). */
    static final double NORM_SAVED_WITHIN = 0.01;
    /** Up to this many entries in RocksDB's estimate, a task counts its keys when it opens (see {@link #keysHeld}). */
    static final long COUNTED_KEYS = 200_000;

    private final LearnerConfig config;
    private final String modelName;
    private final String configHash;
    private final String outputTopic;
    private final long gradientFlushMs;
    private final GradientPrecision gradientPrecision;
    private final boolean ordersByEventTime;
    private final RecordDecoder decoder;
    private final ForecastEncoder encoder;
    private final StreamGruMetrics metrics;
    private final ParameterLayout layout;
    private SeriesStateCodec stateCodec;
    private final Observation observation;
    private final DeadLetterLog deadLetterLog = new DeadLetterLog();
    private final DeadLetters deadLetters;

    private ProcessorContext<byte[], byte[]> context;
    private TimestampedKeyValueStore<String, byte[]> keyState;
    private KeyValueStore<String, byte[]> learnerState;
    /** What {@link #learnerState} holds (null before the task's first save), and the learner's capped chunks counted. */
    private LearnerTaskState saved;
    private long cappedCounted;
    /** Null when keys never expire. */
    private IdleKeyExpiry expiry;
    private ModelTracker models;
    private SeriesLearner learner;
    private final int batchSamples;
    private GradientWindow window;
    /** When the window is full enough to send (grows while the optimizer gathers many samples per step). */
    private final GradientBatchTarget batchTarget;
    private WelfordNormalizer featureDelta;
    private double[] emptyFeatureStats;
    private double[] emptyTargetStats;
    private String taskName;
    private SeriesState series;
    private byte[] emptyState;
    /** Drifts the series of this task detected since its last gradient batch (the optimizer's drift policy hears them). */
    private int driftsSinceBatch;
    /** This task's share of the keys-held gauge: the keys its store held at start, plus each new one. */
    private AtomicLong keys;

    public LearnerProcessor(LearnerConfig config, String modelName, String configHash, String outputTopic,
                            int batchSamples, long gradientFlushMs, GradientPrecision gradientPrecision,
                            boolean ordersByEventTime, RecordDecoder decoder, ForecastEncoder encoder,
                            StreamGruMetrics metrics, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.config = config;
        this.batchSamples = batchSamples;
        this.modelName = modelName;
        this.configHash = configHash;
        this.outputTopic = outputTopic;
        this.gradientFlushMs = gradientFlushMs;
        this.gradientPrecision = gradientPrecision;
        this.ordersByEventTime = ordersByEventTime;
        this.decoder = decoder;
        this.encoder = encoder;
        this.metrics = metrics;
        this.layout = new ParameterLayout(config.gruConfig());
        this.observation = new Observation(config.features());
        this.batchTarget = new GradientBatchTarget(Math.max(1, batchSamples));
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.taskName = context.applicationId() + "/" + context.taskId();
        this.keyState = context.getStateStore(StoreNames.KEY_STATE);
        this.models = new ModelTracker(context.getStateStore(StoreNames.MODEL), modelName, configHash,
                ModelVersion.initial(config, configHash));
        ModelVersion model = models.current();
        WelfordNormalizer features = SeriesLearner.newFeatureNormalizer(config);
        WelfordNormalizer target = SeriesLearner.newTargetNormalizer();
        this.featureDelta = SeriesLearner.newFeatureNormalizer(config);
        this.emptyFeatureStats = featureDelta.exportState();
        // Target statistics live in each key's state; batches keep the field (format) and send none.
        this.emptyTargetStats = SeriesLearner.newTargetNormalizer().exportState();
        this.window = new GradientWindow(layout.size(), batchSamples);
        this.learner = new SeriesLearner(config, new GruModel(layout, model.parameters()), features, target, window,
                this::sendWhenWindowIsFull);
        learner.trackStatisticsIn(featureDelta);
        // Key states of releases before per-key target scaling migrate with the model's shared statistics.
        this.stateCodec = new SeriesStateCodec(config, learner.targetNormalizer());
        this.series = learner.newSeries();
        this.emptyState = stateCodec.encode(learner.newSeries());
        this.learnerState = context.getStateStore(StoreNames.LEARNER_STATE);
        // init may run again on this object (Kafka Streams revives a corrupted task in place).
        this.cappedCounted = 0;
        this.saved = restoreTaskState();
        switchToNewestModel();
        metrics.modelLoaded(models.current().version());
        this.keys = metrics.taskOpened(saved != null && saved.keys() != LearnerTaskState.UNKNOWN_KEYS
                ? saved.keys() : keysHeld());
        context.schedule(Duration.ofMillis(gradientFlushMs), PunctuationType.WALL_CLOCK_TIME, this::flush);
        if (!config.keyTtl().isZero()) {
            this.expiry = new IdleKeyExpiry(keyState, config.keyTtl().toMillis(), IdleKeyExpiry.KEYS_PER_SWEEP,
                    this::expired);
            // Wall-clock paced, stream-time judged (IdleKeyExpiry): a steady, bounded share of the thread.
            context.schedule(EXPIRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME,
                    now -> {
                        expiry.sweep(context.currentStreamTimeMs());
                        saveTaskState();
                    });
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.records.increment();
        try {
            decoder.decode(context.recordMetadata().map(m -> m.topic()).orElse(""), record.key(), record.value(),
                    record.timestamp(), observation);
        } catch (InvalidRecordException e) {
            deadLetter(record, e);
            return;
        }
        switchToNewestModel();
        String seriesId = observation.seriesId();
        ValueAndTimestamp<byte[]> held = keyState.get(seriesId);
        if (held != null && expiry != null
                && expiry.isIdle(held.timestamp(), Math.max(context.currentStreamTimeMs(), record.timestamp()))) {
            keyState.delete(seriesId); // back after the TTL, before the sweep got to it: it starts cold all the same
            expired(seriesId);
            held = null;
        }
        byte[] stored = held == null ? null : held.value();
        // One reused state object: a new key starts from the encoded empty state.
        SeriesState series = this.series;
        stateCodec.decodeInto(stored == null ? emptyState : stored, series);
        if (ordersByEventTime && series.orderOf(observation.eventTime()) != ReadingOrder.NEXT) {
            deadLetter(record, outOfOrder(series, observation.eventTime()));
            return;
        }
        metrics.recordProcessedOn(models.current().version());
        double target = observation.target();
        // A key's newest event time is kept only when readings carry their own (input.time).
        double prediction = learner.observe(series, ordersByEventTime ? observation.eventTime() : Long.MIN_VALUE,
                observation.features(), target);
        // The newest reading's record timestamp: what the key's idle time is measured from.
        long seen = held == null ? record.timestamp() : Math.max(held.timestamp(), record.timestamp());
        keyState.put(seriesId, ValueAndTimestamp.make(stateCodec.encode(series), seen));
        if (expiry != null) {
            expiry.written(seen);
        }
        if (stored == null) {
            keys.incrementAndGet();
        }
        saveTaskState();

        double resolved = series.resolvedForecast();
        double baseline = series.resolvedBaseline();
        boolean scored = Double.isFinite(target) && Double.isFinite(resolved);
        if (scored && Double.isFinite(baseline)) {
            metrics.scored(Math.abs(resolved - target), Math.abs(baseline - target));
        }
        if (scored && !Double.isNaN(series.resolvedHalfWidth())) {
            metrics.intervalResolved(Math.abs(target - resolved) <= series.resolvedHalfWidth());
        }
        boolean drift = series.driftDetected();
        if (drift) {
            metrics.driftDetections.increment();
            driftsSinceBatch++;
        }
        double halfWidth = series.intervalHalfWidth(); // NaN until the key's first resolved error
        Forecast forecast = new Forecast(seriesId, observation.eventTime(), config.horizon(), prediction,
                models.current().version(), configHash, target, resolved, scored ? target - resolved : Double.NaN,
                Double.isFinite(target) && Double.isFinite(baseline) ? target - baseline : Double.NaN, drift,
                prediction - halfWidth, prediction + halfWidth, config.intervalLevel(), series.modelForecast(),
                series.dominantExpert() == null ? null : series.dominantExpert().id());
        context.forward(new Record<>(encoder.encodeKey(outputTopic, seriesId), encoder.encode(outputTopic, forecast),
                record.timestamp(), new RecordHeaders()), TO_FORECASTS);
        metrics.published(forecast);
    }

    @Override
    public void close() {
        if (keys != null) {
            metrics.taskClosed(keys);
        }
    }

    /**
     * The keys this task's store holds as it opens, when no saved task state says (the first start
     * after an upgrade, or after a replay): counted when RocksDB's estimate is at most
     * {@link #COUNTED_KEYS} (the estimate counts every write still in its memtables, so right after
     * a restore from the changelog it can be hundreds of times the keys), else the estimate (no scan
     * of millions of states before the task starts). From then on the count is kept in the task state.
     */
    private long keysHeld() {
        long estimate = keyState.approximateNumEntries();
        if (estimate > COUNTED_KEYS) {
            return estimate;
        }
        long n = 0;
        try (KeyValueIterator<String, ValueAndTimestamp<byte[]>> all = keyState.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    /**
     * Continues from the task state a previous run of this task saved (restored from the changelog
     * when the task moved); null if there is none. One that cannot be read (a newer release's, or
     * damaged) is logged and dropped: the influence cap then warms up again from this task's next
     * chunks, and the keys are counted.
     */
    private LearnerTaskState restoreTaskState() {
        byte[] bytes = learnerState.get(LearnerTaskState.KEY);
        if (bytes == null) {
            return null;
        }
        try {
            LearnerTaskState state = LearnerTaskState.decode(bytes);
            learner.restoreTypicalChunkNorm(state.typicalChunkNorm());
            return state;
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignoring its saved learner state ({}); the chunk influence cap starts over", taskName,
                    e.getMessage());
            return null;
        }
    }

    /**
     * Saves the task state when the key count changed or the typical norm moved by more than
     * {@link #NORM_SAVED_WITHIN} of the saved one (a cached put: the changelog gets it at most once
     * per commit). Saving every small move of the norm would put the changelog's partition into
     * nearly every transaction, for a cap that needs the norm to a per cent, not to the bit.
     */
    private void saveTaskState() {
        long capped = learner.cappedChunks();
        if (capped != cappedCounted) {
            metrics.chunksCapped.increment(capped - cappedCounted);
            cappedCounted = capped;
        }
        double typical = learner.typicalChunkNorm();
        long held = keys.get();
        if (saved == null || held != saved.keys()
                || Math.abs(typical - saved.typicalChunkNorm()) > NORM_SAVED_WITHIN * saved.typicalChunkNorm()) {
            saved = new LearnerTaskState(typical, held);
            learnerState.put(LearnerTaskState.KEY, saved.encode());
        }
    }

    /** A key dropped for idleness: counted, and out of this task's key count and the dashboard. */
    private void expired(String seriesId) {
        keys.decrementAndGet();
        metrics.keyExpired(seriesId);
    }

    /** Sends a record that cannot be learned from to the dead-letter topic, cut to fit it (see {@link DeadLetters}). */
    private void deadLetter(Record<byte[], byte[]> record, InvalidRecordException e) {
        metrics.deadLetter(e.reason());
        RecordMetadata source = context.recordMetadata().orElse(null);
        deadLetterLog.log(e, source);
        Record<byte[], byte[]> letter = deadLetters.of(record, e, source);
        if (letter != null) { // null: its dead letter was refused before (logged and counted then)
            context.forward(letter, TO_DEAD_LETTERS);
        }
    }

    private static InvalidRecordException outOfOrder(SeriesState series, long eventTime) {
        return series.orderOf(eventTime) == ReadingOrder.DUPLICATE
                ? new InvalidRecordException(InvalidRecordException.Reason.DUPLICATE,
                        "a reading of this key at event time " + eventTime + " was already learned from")
                : new InvalidRecordException(InvalidRecordException.Reason.LATE, "event time " + eventTime
                        + " is before the key's newest reading (" + series.lastTime() + ")");
    }

    /** Switches to a newer published model, keeping the statistics this task saw since its last batch. */
    private void switchToNewestModel() {
        ModelVersion next = models.poll();
        if (next == null) {
            return;
        }
        learner.useModel(new GruModel(layout, next.parameters()));
        learner.featureNormalizer().importState(next.featureStats());
        learner.featureNormalizer().merge(featureDelta);
        learner.targetNormalizer().importState(next.targetStats());
        metrics.versionSeen(next.version());
        batchTarget.versionSwitched(window.totalSamples());
    }

    private void sendWhenWindowIsFull() {
        if (window.samples() >= batchTarget.samples()) {
            send(context.currentSystemTimeMs());
        }
    }

    private void flush(long now) {
        if (window.samples() > 0) {
            send(now);
        }
    }

    private void send(long now) {
        // Encoded straight from the window's sum (no copy): the batch object lives only for this call.
        GradientBatch batch = new GradientBatch(models.current().version(), configHash, taskName,
                (int) window.samples(), window.lossSum(), window.sum(), featureDelta.exportState(),
                emptyTargetStats, now, driftsSinceBatch);
        byte[] encoded = GradientBatchCodec.encode(batch, gradientPrecision);
        driftsSinceBatch = 0;
        window.clear();
        featureDelta.importState(emptyFeatureStats);
        context.forward(new Record<>(modelName.getBytes(StandardCharsets.UTF_8), encoded, now), TO_GRADIENTS);
        metrics.gradientBatchesSent.increment();
    }
}
