package io.streamgru.app.cli;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.dashboard.Dashboard;
import io.streamgru.app.dashboard.WatchedKeys;
import io.streamgru.app.http.HttpEndpoint;
import io.streamgru.app.metrics.PrometheusMeters;
import io.streamgru.app.runtime.DeployedDefaults;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.model.gru.Kernels;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code streamgru run}: the streaming learner against a real cluster, until SIGTERM or Ctrl-C
 * (exit 0 after a clean stop), or until it stops itself because the environment failed (the
 * registry refusing the credentials or unreachable: one line on stderr, exit 1).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the streaming learner: reads the input topics, publishes forecasts, keeps learning.",
            "Settings come from the config file, then STREAMGRU_* environment variables, then flags."
        })
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    LearnerOptions learner;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = configOptions.settings().overriddenBy(learner.toSettings());
        StreamGruConfig config = DeployedDefaults.resolve(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        WatchedKeys charted = Dashboard.watch(config.http().dashboardKeys());
        try (PrometheusMeters meters = new PrometheusMeters();
             StopSignals signals = StopSignals.install(stopped::countDown);
             StreamGruApp app = new StreamGruApp(config,
                     new StreamGruMetrics(meters.registry(), charted));
             Dashboard dashboard = Dashboard.start(app.metrics(), charted);
             // Up before the app starts, so /health answers while it checks the cluster and restores state.
             HttpEndpoint http = HttpEndpoint.start(config.http(), meters, dashboard, app::unhealthy, app::notReady)) {
            StreamGruMetrics metrics = app.metrics();
            // Only for a JVM shutdown that is not one of those signals (SIGHUP, another System.exit).
            Thread hook = new Thread(() -> app.close(Duration.ofSeconds(30)), "streamgru-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            app.start((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING
                        || now == KafkaStreams.State.PENDING_ERROR) {
                    stopped.countDown();
                }
            });
            spec.commandLine().getErr().printf("streamgru run: app '%s', model '%s' (config %s); reading %s, "
                            + "forecasts to %s;%s Ctrl-C or SIGTERM stops it.%n", config.appId(), config.modelName(),
                    app.configHash(), config.input().topics(), config.output().topic(),
                    http.url().map(u -> " metrics and health at " + u + ".").orElse(" no HTTP endpoint."));
            spec.commandLine().getErr().flush();
            LOG.info("model-core kernels: {}", Kernels.description());
            // A status line every 30 s: what went in, what came out, how the model and its error move.
            while (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.info("status: {}", metrics.summary());
            }
            KafkaStreams.State state = app.state();
            Optional<EnvironmentException> failure = app.failure();
            long keysHeld = metrics.keys(); // the closed tasks hold none
            app.close(Duration.ofSeconds(30));
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is shutting down already; the hook closes the (closed) app again, harmlessly.
            }
            if (failure.isPresent()) {
                throw failure.get(); // one line, exit 1 (StreamGruCommand)
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
                spec.commandLine().getErr().println("streamgru run: stopped after a failure (see the log above): "
                        + metrics.summary(keysHeld));
                return 1;
            }
            spec.commandLine().getErr().println("streamgru run: stopped cleanly: " + metrics.summary(keysHeld));
            spec.commandLine().getErr().flush();
            return 0;
        }
    }
}
