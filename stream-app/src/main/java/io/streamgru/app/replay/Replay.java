package io.streamgru.app.replay;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.ConfigException;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.history.HistoryBounds;
import io.streamgru.app.history.HistoryProgress;
import io.streamgru.app.history.HistoryRange;
import io.streamgru.app.history.HistoryRecord;
import io.streamgru.app.history.HistorySource;
import io.streamgru.app.history.PrefetchingHistory;
import io.streamgru.app.input.InputException;
import io.streamgru.app.input.RecordDecoder;
import io.streamgru.app.topology.LearnerTaskState;
import io.streamgru.app.topology.StoreNames;
import io.streamgru.app.versions.ApplicationGroup;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SafetensorsModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code streamgru replay}: trains the application's model over the history of its input topics
 * in this process ({@link ReplayTrainer}), then hands the result to the live application: the
 * model as the next published version (with its optimizer state), the replayed keys' states
 * recomputed with that model in the learner's changelog ({@link WarmStates}), and, when the
 * application has not consumed the input yet, its consumer group's offsets at the replay's end.
 *
 * <p>Checkpoints (between optimizer steps, every N records and/or seconds, and when stopped) let
 * an interrupted replay continue: a checkpoint of the same application, configuration and input
 * topics is resumed automatically (unless {@code fresh}); the resumed run ends bit-identical to an
 * uninterrupted one. A completed replay deletes its checkpoint.
 */
public final class Replay {

    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);

    /**
     * @param range               what to read (ignored when resuming: the checkpoint knows)
     * @param checkpointDir       where the checkpoint file lives ({@code <appId>.replay-checkpoint})
     * @param checkpointRecords   a checkpoint after this many records (0 = not by count)
     * @param checkpointInterval  a checkpoint after this much time (null or zero = not by time)
     * @param fresh               discard an existing checkpoint and start over
     * @param maxRecords          stop (with a checkpoint) after this many records in all (0 = no limit)
     * @param warmSteps           records per key replayed through the final model for the warm start
     * @param fromInitial         start from version 0 even if a version is published
     * @param publish             publish the result as the next model version
     * @param warmStart           write the warm states to the learner's changelog
     * @param commitOffsets       commit the end offsets for the application when it has none yet
     * @param saveModel           also write the model here (safetensors), or null
     */
    public record Options(HistoryRange range, Path checkpointDir, long checkpointRecords, Duration checkpointInterval,
                          boolean fresh, long maxRecords, int warmSteps, boolean fromInitial, boolean publish,
                          boolean warmStart, boolean commitOffsets, Path saveModel) {

        /** Defaults: everything, checkpoints every minute under {@code dir}, all hand-overs on. */
        public static Options defaults(Path dir) {
            return new Options(HistoryRange.ALL, dir, 0, Duration.ofSeconds(60), false, 0, DEFAULT_WARM_STEPS, false,
                    true, true, true, null);
        }

        public Options withRange(HistoryRange r) {
            return new Options(r, checkpointDir, checkpointRecords, checkpointInterval, fresh, maxRecords, warmSteps,
                    fromInitial, publish, warmStart, commitOffsets, saveModel);
        }

        public Options withMaxRecords(long n) {
            return new Options(range, checkpointDir, checkpointRecords, checkpointInterval, fresh, n, warmSteps,
                    fromInitial, publish, warmStart, commitOffsets, saveModel);
        }

        public Options withCheckpointRecords(long n) {
            return new Options(range, checkpointDir, n, checkpointInterval, fresh, maxRecords, warmSteps,
                    fromInitial, publish, warmStart, commitOffsets, saveModel);
        }
    }

    /** The origin a replayed model version carries. */
    public static final String ORIGIN = "replay";

    /** Records per key the warm start replays when not told otherwise. */
    public static final int DEFAULT_WARM_STEPS = 64;

    /**
     * What a replay did.
     *
     * @param completed     read to the end and handed over (false: stopped, checkpoint written)
     * @param resumed       continued from a checkpoint
     * @param model         the published version (or, unpublished, the version it would be)
     * @param warmStates    key states written to the changelog
     * @param seconds       wall-clock time of the training loop (this run)
     * @param recordsThisRun records trained on in this run
     */
    public record Result(boolean completed, boolean resumed, long records, long invalid, int keys, ModelVersion model,
                         long warmStates, Path checkpoint, double seconds, long recordsThisRun) {

        public double recordsPerSecond() {
            return recordsThisRun / Math.max(1e-9, seconds);
        }
    }

    private final StreamGruConfig config;
    private final Options options;
    private final PublishedModels models;
    private final RecordDecoder decoder;
    private final PrintWriter progress;
    private final BooleanSupplier stopRequested;
    private final String configHash;

    /**
     * @param progress      where the progress bar goes, or null (quiet)
     * @param stopRequested polled once per record: true stops at the next optimizer step with a checkpoint
     */
    public Replay(StreamGruConfig config, Options options, PublishedModels models, RecordDecoder decoder,
                  PrintWriter progress, BooleanSupplier stopRequested) {
        if (!config.learner().learn()) {
            throw new InputException("replay trains the model: learner.learn=false makes it pointless");
        }
        this.config = config;
        this.options = options;
        this.models = models;
        this.decoder = decoder;
        this.progress = progress;
        this.stopRequested = stopRequested;
        this.configHash = config.configHash();
    }

    public Path checkpointFile() {
        return ReplayCheckpoint.file(options.checkpointDir(), config.appId());
    }

    public Result run() throws IOException, InterruptedException {
        if (options.warmStart()) {
            requireLearnersStopped();
        }
        Map<String, Object> kafka = ClientProperties.consumer(config);
        Path checkpoint = checkpointFile();
        if (options.fresh()) {
            Files.deleteIfExists(checkpoint);
        }
        Start start = Files.exists(checkpoint) ? resume(checkpoint) : startFresh(kafka);
        ReplayTrainer trainer = start.trainer();
        long recordsBefore = trainer.records();
        long started = System.nanoTime();
        int features = config.input().features().size();
        try (PrefetchingHistory source = new PrefetchingHistory(
                new HistorySource(kafka, start.bounds(), decoder, features), features)) {
            if (start.resumed()) {
                source.invalid().restore(start.resumedFrom().invalid());
            }
            Training training = train(start, source, checkpoint);
            double seconds = (System.nanoTime() - started) / 1e9;
            long thisRun = trainer.records() - recordsBefore;
            long invalid = source.invalid().total();
            logSkipped(training.outOfOrder(), source);
            ModelVersion contents = contents(trainer, start.baseVersion(), start.baseSamples());
            if (training.stopped()) {
                log("stopped after %,d records; checkpoint %s (run again to continue)", trainer.records(), checkpoint);
                return new Result(false, start.resumed(), trainer.records(), invalid, trainer.keyCount(), contents,
                        0, checkpoint, seconds, thisRun);
            }
            return finish(trainer, contents, start.bounds(), start.resumed(), invalid, seconds, thisRun, checkpoint);
        }
    }

    /**
     * Where a run starts: the trainer, the records to read and the model version it builds on.
     *
     * @param resumedFrom the checkpoint's header, or null for a fresh start
     */
    private record Start(ReplayTrainer trainer, HistoryBounds bounds, ReplayCheckpoint.Header resumedFrom,
                         long baseVersion, long baseSamples) {

        boolean resumed() {
            return resumedFrom != null;
        }
    }

    /** How the training loop ended: stopped (checkpoint written) or at the end, and the readings it skipped. */
    private record Training(boolean stopped, long outOfOrder) {
    }

    /** Continues from the checkpoint, which must be this application's, configuration's and topics'. */
    private Start resume(Path checkpoint) throws IOException {
        ReplayCheckpoint.Header h = ReplayCheckpoint.readHeader(checkpoint);
        if (!h.appId().equals(config.appId()) || !h.configHash().equals(configHash)
                || !h.topics().equals(config.input().topics())) {
            throw new InputException("checkpoint " + checkpoint + " belongs to app '" + h.appId() + "', config "
                    + h.configHash() + ", topics " + h.topics() + "; this replay is app '" + config.appId()
                    + "', config " + configHash + ", topics " + config.input().topics()
                    + ": add --fresh to discard it");
        }
        int partitions = partitionCount(h.positions());
        ReplayCheckpoint.Loaded loaded;
        try {
            loaded = ReplayCheckpoint.read(checkpoint, new ReplayCheckpoint.ReplayTrainerShape(config.learner(),
                    config.optimizerSamples(partitions), options.warmSteps()));
        } catch (IOException e) {
            throw new InputException("cannot resume from " + checkpoint + ": " + e.getMessage()
                    + "; add --fresh to discard it", e);
        }
        ReplayTrainer trainer = loaded.trainer();
        HistoryBounds bounds = h.positions();
        log("resuming from checkpoint %s: %,d records done, %,d to go", checkpoint, trainer.records(),
                bounds.records());
        return new Start(trainer, bounds, h, h.baseVersion(), h.baseSamples());
    }

    /** Starts from the starting version over the range of the input topics the options ask for. */
    private Start startFresh(Map<String, Object> kafka) {
        ModelVersion start = startingVersion();
        HistoryBounds bounds = HistorySource.resolve(kafka, config.input().topics(), options.range());
        int partitions = partitionCount(bounds);
        ReplayTrainer trainer = new ReplayTrainer(config.learner(), config.optimizerSamples(partitions),
                options.warmSteps(), start.parameters(), start.optimizerState(), start.featureStats(),
                start.targetStats());
        log("replaying %,d records of %s from model version %d", bounds.records(), config.input().topics(),
                start.version());
        return new Start(trainer, bounds, null, start.version(), start.samplesTrained());
    }

    /**
     * Trains on the source's records until it ends or a stop is asked for (by the caller or
     * maxRecords); writes a checkpoint at the first optimizer step after one is due or asked for.
     */
    private Training train(Start start, PrefetchingHistory source, Path checkpoint) throws IOException {
        ReplayTrainer trainer = start.trainer();
        long recordsBefore = trainer.records();
        long outOfOrder = 0;
        boolean stopped = false;
        HistoryProgress bar = progress == null ? null
                : new HistoryProgress(progress, "replay", start.bounds().records(), source::remaining);
        HistoryRecord record = new HistoryRecord(config.input().features().size());
        long lastCheckpointRecords = trainer.records();
        long lastCheckpointNanos = System.nanoTime();
        boolean due = false;
        boolean stopping = false;
        long intervalNanos = options.checkpointInterval() == null ? 0 : options.checkpointInterval().toNanos();
        boolean timed = config.input().time() != null; // the live learner's time policy (README, "Time")
        while (source.next(record)) {
            if (!trainer.observe(record.seriesId(), record.partition(), timed ? record.eventTime() : Long.MIN_VALUE,
                    record.features(), record.target())) {
                outOfOrder++;
                continue;
            }
            long n = trainer.records();
            if (bar != null) {
                bar.recordDone(n - recordsBefore);
            }
            if (!stopping && (stopRequested.getAsBoolean()
                    || (options.maxRecords() > 0 && n >= options.maxRecords()))) {
                stopping = true;
            }
            if (!due && options.checkpointRecords() > 0 && n - lastCheckpointRecords >= options.checkpointRecords()) {
                due = true;
            }
            if (!due && intervalNanos > 0 && (n & 255) == 0 && System.nanoTime() - lastCheckpointNanos >= intervalNanos) {
                due = true;
            }
            if ((due || stopping) && trainer.atStepBoundary()) {
                ReplayCheckpoint.write(checkpoint, header(start.baseVersion(), start.baseSamples(), source), trainer);
                lastCheckpointRecords = n;
                lastCheckpointNanos = System.nanoTime();
                due = false;
                if (stopping) {
                    stopped = true;
                    break;
                }
            }
        }
        if (bar != null) {
            bar.finish(trainer.records() - recordsBefore);
        }
        return new Training(stopped, outOfOrder);
    }

    private void logSkipped(long outOfOrder, PrefetchingHistory source) {
        if (outOfOrder > 0) {
            log("%d duplicate or late readings skipped (the same event time as, or before, their key's newest)",
                    outOfOrder);
        }
        if (source.invalid().total() > 0) {
            log("%s invalid records skipped", source.invalid().describe());
        }
    }

    private ReplayCheckpoint.Header header(long baseVersion, long baseSamples, PrefetchingHistory source) {
        return new ReplayCheckpoint.Header(config.appId(), configHash, config.input().topics(), baseVersion,
                baseSamples, new HistoryBounds(source.positions(), source.bounds().end()), source.invalidCounts());
    }

    private Result finish(ReplayTrainer trainer, ModelVersion contents, HistoryBounds bounds, boolean resumed,
                          long invalid, double seconds, long thisRun, Path checkpoint)
            throws IOException, InterruptedException {
        ModelVersion model = contents;
        if (options.publish()) {
            model = models.publishNext(contents);
            log("published model version %d (%,d optimizer steps, %,d samples) to %s", model.version(),
                    model.optimizerSteps(), model.samplesTrained(), config.modelTopic());
        }
        if (options.saveModel() != null) {
            OnlineForecaster f = new OnlineForecaster(config.learner(), trainer.parameters().clone(),
                    trainer.featureStats().exportState(), trainer.targetStats().exportState());
            try (OutputStream out = Files.newOutputStream(options.saveModel())) {
                SafetensorsModel.write(f, out);
            }
        }
        long warm = 0;
        if (options.warmStart() && trainer.keyCount() > 0) {
            int partitions = partitionCount(bounds);
            try (StoreChangelog changelog = new StoreChangelog(config, StoreNames.KEY_STATE, partitions)) {
                WarmStates.compute(trainer, changelog::write);
                warm = changelog.written();
                log("wrote the warm states of %,d keys to %s", warm, changelog.topic());
            }
            // Every task continues with the replay's typical chunk norm, so the influence cap holds from its first
            // chunk (none if no chunk was trained: what the tasks saved stays). Their keys: unknown, counted at start.
            if (trainer.typicalChunkNorm() > 0) {
                try (StoreChangelog changelog = new StoreChangelog(config, StoreNames.LEARNER_STATE, partitions)) {
                    byte[] state = new LearnerTaskState(trainer.typicalChunkNorm(), LearnerTaskState.UNKNOWN_KEYS)
                            .encode();
                    for (int p = 0; p < partitions; p++) {
                        changelog.write(LearnerTaskState.KEY, p, state);
                    }
                }
            }
        }
        if (options.commitOffsets()) {
            commitOffsets(bounds.end());
        }
        Files.deleteIfExists(checkpoint);
        return new Result(true, resumed, trainer.records(), invalid, trainer.keyCount(), model, warm, null, seconds,
                thisRun);
    }

    /** The newest published version of this configuration, else version 0. */
    private ModelVersion startingVersion() {
        if (options.fromInitial()) {
            return ModelVersion.initial(config.learner(), configHash);
        }
        Optional<ModelVersion> latest = models.latest();
        if (latest.isEmpty()) {
            return ModelVersion.initial(config.learner(), configHash);
        }
        ModelVersion v = latest.get();
        if (!v.configHash().equals(configHash)) {
            throw new InputException("model '" + config.modelName() + "' version " + v.version()
                    + " belongs to configuration " + v.configHash() + ", this replay runs " + configHash
                    + ": use another app.id or model.name, or --from-initial");
        }
        return v;
    }

    /** What the replay trained, as a model version numbered after the one it started from. */
    private ModelVersion contents(ReplayTrainer t, long baseVersion, long baseSamples) {
        return new ModelVersion(baseVersion + 1, configHash, t.parameters().clone(), t.featureStats().exportState(),
                t.targetStats().exportState(), t.optimizer().exportState(), t.optimizer().steps(),
                baseSamples + t.samplesTrained(), System.currentTimeMillis(), ORIGIN, t.lastLoss(),
                config.learner().combine());
    }

    /**
     * The warm start writes the keys' states into the learners' changelog, which running learners
     * write too: their states and the replay's would be mixed key by key, and a key that reads rarely
     * would restore the replay's state at the next restart. So it needs the learners stopped; checked
     * before training, not after.
     */
    private void requireLearnersStopped() throws InterruptedException {
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            if (ApplicationGroup.hasMembers(admin, config.appId())) {
                throw new ConfigException("the application '" + config.appId() + "' is running (its group has members):"
                        + " stop it before replay writes its keys' states, or replay with --no-warm-start");
            }
        }
    }

    /** The live application's consumer group starts after the replayed records, unless it has offsets already. */
    private void commitOffsets(Map<TopicPartition, Long> end) throws InterruptedException {
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            Map<TopicPartition, OffsetAndMetadata> existing = admin.listConsumerGroupOffsets(config.appId())
                    .partitionsToOffsetAndMetadata().get();
            boolean any = end.keySet().stream().anyMatch(tp -> existing.get(tp) != null);
            if (any) {
                log("the application '%s' has consumed its input before: its offsets are left as they are",
                        config.appId());
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            end.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
            admin.alterConsumerGroupOffsets(config.appId(), offsets).all().get();
            log("the application '%s' will start after the replayed records (offsets committed)", config.appId());
        } catch (ExecutionException e) {
            log("could not commit the end offsets for '%s' (%s): `streamgru run` will read the input from its "
                    + "auto.offset.reset position", config.appId(), e.getCause().getMessage());
        }
    }

    static int partitionCount(HistoryBounds bounds) {
        int max = 1;
        for (TopicPartition tp : bounds.end().keySet()) {
            max = Math.max(max, tp.partition() + 1);
        }
        return max;
    }

    private void log(String format, Object... args) {
        String line = String.format(java.util.Locale.ROOT, format, args);
        if (progress != null) { // the command's own output: the log would say it twice on the console
            progress.println("replay: " + line);
            progress.flush();
            LOG.debug(line);
        } else {
            LOG.info(line);
        }
    }
}
