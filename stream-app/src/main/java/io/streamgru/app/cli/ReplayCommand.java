package io.streamgru.app.cli;

import io.streamgru.app.config.RegistrySettings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.runtime.DeployedDefaults;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.replay.PublishedModels;
import io.streamgru.app.replay.Replay;
import io.streamgru.app.replay.TopicModels;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.serde.SerdeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamgru replay}: trains the application's model over its input topics' history, in this process. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Retrains the model on its input topics' history and hands it to the live application.",
            "Trains the model of the application a config file describes (the file",
            "`streamgru run` uses) over the history of its input topics, in this process",
            "and in event-time order, then hands it to the live application: the model as",
            "the next version on <app>-model, the replayed keys' states recomputed with",
            "that model in the learner's state changelog (the app starts warm), and the",
            "end offsets for the app if it has not read the input yet. Starts from the",
            "newest published version (else from the seed). An interrupted replay (Ctrl-C,",
            "--max-records) continues from its checkpoint when run again. Stop `streamgru",
            "run` of the same app.id while replaying."
        })
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    LearnerOptions learner;

    @Mixin
    HistoryOptions history;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Where the checkpoint <app.id>.replay-checkpoint is kept (default: ./streamgru-checkpoints).")
    Path checkpointDir = Path.of("streamgru-checkpoints");

    @Option(names = "--checkpoint-records", paramLabel = "N", description = "A checkpoint every N records (default: 0 = by time only).")
    long checkpointRecords;

    @Option(names = "--checkpoint-seconds", paramLabel = "S", description = "A checkpoint every S seconds (default: 60; 0 = off).")
    long checkpointSeconds = 60;

    @Option(names = "--fresh", description = "Discard this app's checkpoint and start over (default: resume from it).")
    boolean fresh;

    @Option(names = "--max-records", paramLabel = "N",
            description = "Stop after N records in all (at the next optimizer step), with a checkpoint (default: no limit).")
    long maxRecords;

    @Option(names = "--warm-steps", paramLabel = "N",
            description = "Last records per key replayed through the final model for the warm start (default: " + Replay.DEFAULT_WARM_STEPS + ").")
    int warmSteps = Replay.DEFAULT_WARM_STEPS;

    @Option(names = "--from-initial", description = "Start from the seed's parameters (version 0), not the newest published version.")
    boolean fromInitial;

    @Option(names = "--no-publish", description = "Do not publish the model, nor write warm states or commit offsets (with --save-model: train to a file only).")
    boolean noPublish;

    @Option(names = "--no-warm-start", description = "Do not write the keys' states to the learner's changelog.")
    boolean noWarmStart;

    @Option(names = "--no-commit-offsets", description = "Do not commit the end offsets for the app's consumer group.")
    boolean noCommitOffsets;

    @Option(names = "--save-model", paramLabel = "FILE.safetensors", description = "Also write the final model here.")
    Path saveModel;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StreamGruConfig config = DeployedDefaults.resolve(configOptions.settings().overriddenBy(learner.toSettings()));
        if (warmSteps < 1) {
            throw new IllegalArgumentException("--warm-steps must be >= 1, not " + warmSteps);
        }
        Replay.Options options = new Replay.Options(history.range(), checkpointDir, checkpointRecords,
                // An unpublished model's warm states and offsets would belong to no model the live application has.
                Duration.ofSeconds(checkpointSeconds), fresh, maxRecords, warmSteps, fromInitial, !noPublish,
                !noWarmStart && !noPublish, !noCommitOffsets && !noPublish, saveModel);
        PrintWriter err = spec.commandLine().getErr();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: finish the current optimizer step, write a checkpoint, then let the JVM go.
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "streamgru-replay-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        SchemaRegistryClient registry = config.input().format() == StreamGruConfig.Format.AVRO
                ? SerdeConfig.from(RegistrySettings.serdeConfig(config.registry())).createClient() : null;
        try (PublishedModels models = new TopicModels(config)) {
            Replay replay = new Replay(config, options, models, InputDecoders.of(config, registry).get(),
                    quiet ? null : err, stop::get);
            Replay.Result r = replay.run();
            PrintWriter out = spec.commandLine().getOut();
            if (r.completed()) {
                out.printf(Locale.ROOT, "replay: %,d records (%,d invalid skipped) of %,d keys; model version %d%s;"
                                + " %,d warm states; %,.0f records/s%n", r.records(), r.invalid(), r.keys(),
                        r.model().version(), options.publish() ? " published to " + config.modelTopic() : " (not published)",
                        r.warmStates(), r.recordsPerSecond());
            } else {
                out.printf(Locale.ROOT, "replay: stopped after %,d records; checkpoint %s; run the same command to "
                        + "continue%n", r.records(), r.checkpoint());
            }
            out.flush();
            return 0;
        } finally {
            if (registry != null) {
                registry.close();
            }
            done.countDown();
            if (!stop.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: nothing to remove
                }
            }
        }
    }
}
