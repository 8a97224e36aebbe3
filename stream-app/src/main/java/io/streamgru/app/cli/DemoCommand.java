package io.streamgru.app.cli;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.LearnerSettings;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.demo.DemoLogFile;
import io.streamgru.app.demo.FleetProducer;
import io.streamgru.app.demo.ForecastReader;
import io.streamgru.app.demo.LiveView;
import io.streamgru.app.demo.SensorFleet;
import io.streamgru.app.demo.StatusDisplay;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.LearnerSetting;
import io.streamgru.app.embedded.EmbeddedKafka;
import io.streamgru.app.dashboard.Dashboard;
import io.streamgru.app.dashboard.WatchedKeys;
import io.streamgru.app.http.HttpEndpoint;
import io.streamgru.app.metrics.PrometheusMeters;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.topology.StreamGruMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import io.streamgru.schemas.serde.ConfluentAvroDeserializer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code streamgru demo}: everything in one JVM on a fresh machine: a Kafka broker, a Schema
 * Registry (Confluent REST API), a simulated sensor fleet, the streaming learner and a live view
 * of its forecasts.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs it all in this JVM on simulated sensors: broker, registry, learner, live forecasts.",
            "Starts an in-JVM Kafka broker, produces a simulated fleet of room sensors (daily and weekly",
            "cycles, noise, a drift part-way), runs the streaming learner on it and shows live forecasts",
            "against actuals and the model's error against persistence. Other clients (kcat, Python) can",
            "connect to the printed bootstrap address while it runs."
        })
public final class DemoCommand implements Callable<Integer> {

    static final String INPUT_TOPIC = "sensors";

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30s, 5m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "48", description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--rate", paramLabel = "RECORDS/S", defaultValue = "2000",
            description = "Readings produced per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4", description = "Input partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "Broker port on 127.0.0.1 (default: a free one, printed at start).")
    int port;

    @Option(names = "--drift-at-hour", paramLabel = "HOUR", defaultValue = "1500",
            description = "Simulated hour at which a third of the rooms drift (default: ${DEFAULT-VALUE}).")
    long driftAtHour;

    @Option(names = "--watch", paramLabel = "N", defaultValue = "3", description = "Sensors shown in the live view (default: ${DEFAULT-VALUE}).")
    int watch;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "avro",
            description = "Topic format: avro (Confluent wire format, schemas in the local registry) or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the local Schema Registry on 127.0.0.1 (default: a free one, printed at start).")
    int registryPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of /metrics, /health, /ready and the dashboard on 127.0.0.1 (default: a free one, printed at start; -1: none).")
    int httpPort;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Where Kafka's, the registry's and StreamGRU's log lines go, appended (default: "
                    + "streamgru-demo-PID.log in the temp dir; printed at start). The console shows only the demo.")
    Path logFile;

    @Mixin
    LearnerOptions learner;

    @Spec
    CommandSpec spec;

    /** Starts a server on a port the user chose; a port in use is the environment's fault, said in one line. */
    private static <T> T onPort(int port, String option, java.util.function.Supplier<T> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof java.net.BindException) {
                    throw new EnvironmentException("port " + port + " is in use (" + c.getMessage() + "): choose another "
                            + "with " + option + ", or 0 for a free one", e);
                }
            }
            throw e;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C/SIGTERM end the demo like --duration does, with exit 0 (StopSignals); the hook covers other shutdowns.
        StopSignals signals = StopSignals.install(stop::countDown);
        Thread hook = new Thread(stop::countDown, "streamgru-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean avro = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "avro" -> true;
            case "json" -> false;
            default -> throw new IllegalArgumentException("--format must be avro or json, got '" + format + "'");
        };
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path stateDirectory = tmp.resolve("streamgru-demo-" + ProcessHandle.current().pid());
        Path log = logFile != null ? logFile : tmp.resolve("streamgru-demo-" + ProcessHandle.current().pid() + ".log");
        List<String> summary = List.of();
        String ending = "";
        WatchedKeys charted = Dashboard.watch(List.of()); // the dashboard charts the first keys it sees
        // Every library's log lines (Kafka's above all) go to the file from here on: the console is the demo's.
        try (DemoLogFile logs = DemoLogFile.redirectTo(log)) {
            try (PrometheusMeters meters = new PrometheusMeters();
                 EmbeddedKafka kafka = onPort(port, "--port", () -> new EmbeddedKafka(port));
                 LocalSchemaRegistryServer registry = onPort(registryPort, "--registry-port",
                         () -> LocalSchemaRegistryServer.builder().port(registryPort).start());
                 SchemaRegistryClient client = CachingSchemaRegistryClient.overHttp(RegistryClientConfig.of(registry.url()));
                 StreamGruApp app = new StreamGruApp(
                         StreamGruConfig.from(demoSettings(kafka.bootstrapServers(), registry.url(), avro, stateDirectory)),
                         new StreamGruMetrics(meters.registry(), charted));
                 Dashboard dashboard = Dashboard.start(app.metrics(), charted);
                 HttpEndpoint http = onPort(httpPort, "--http-port",
                         () -> HttpEndpoint.start(app.config().http(), meters, dashboard, app::unhealthy,
                                 app::notReady))) {
                StreamGruConfig config = app.config();
                StreamGruMetrics metrics = app.metrics();
                String forecastsTopic = "streamgru-demo-forecasts";
                out.printf("StreamGRU demo%n  Kafka bootstrap: %s (in this JVM)%n  Schema Registry: %s (Confluent REST API)%n"
                                + "  Dashboard: %s%n"
                                + "  input topic '%s' (%d partitions, %s), forecasts on '%s'%n  read them: kcat -b %s -C -t %s -o end%n",
                        kafka.bootstrapServers(), registry.url(), http.url().orElse("none"), INPUT_TOPIC, partitions,
                        avro ? "Avro" : "JSON", forecastsTopic, kafka.bootstrapServers(), forecastsTopic);
                if (avro) {
                    out.printf("  (Confluent-framed Avro: decode with any Confluent Avro client and the registry URL; "
                            + "Debian's kcat has no Avro support, so try --format json for kcat)%n");
                }
                out.printf(java.util.Locale.ROOT, "  Configuration: %d sensors, %,d readings/s, drift at hour %d, %s, "
                                + "%d sensors watched%n  Learner: %s%n  Log (Kafka, registry, StreamGRU): %s%n",
                        sensors, rate, driftAtHour, duration == null ? "until Ctrl-C" : "for " + duration.toString()
                                .substring(2).toLowerCase(java.util.Locale.ROOT), Math.min(watch, sensors),
                        learnerLine(config.learner()), logs.file());
                out.flush();
                kafka.createTopic(INPUT_TOPIC, partitions, Map.of());
                List<String> watched = new java.util.ArrayList<>();
                for (int s = 0; s < Math.min(watch, sensors); s++) {
                    watched.add(SensorFleet.sensorName(s));
                }
                LiveView view = new LiveView(metrics, watched);
                StatusDisplay display = StatusDisplay.forStandardOutput(out);
                Map<String, Object> serdeConfig = Map.of(RegistryClientConfig.URL, registry.url());
                ConfluentAvroSerializer<Object> readingSerializer = new ConfluentAvroSerializer<>(client, serdeConfig, false);
                ConfluentAvroDeserializer<io.streamgru.schemas.Forecast> forecastDeserializer =
                        new ConfluentAvroDeserializer<>(client, io.streamgru.schemas.Forecast.class);
                ObjectMapper json = new ObjectMapper();
                FleetProducer producer = new FleetProducer(kafka.bootstrapServers(), INPUT_TOPIC,
                        new SensorFleet(sensors, driftAtHour, config.learner().seed()), rate,
                        avro ? (topic, r) -> FleetProducer.avro(readingSerializer, topic, r) : FleetProducer::json);
                Thread producing = new Thread(producer, "demo-producer");
                ForecastReader reader = new ForecastReader(kafka.bootstrapServers(), config.output().topic(),
                        avro ? bytes -> ForecastReader.fromAvro(forecastDeserializer.deserialize(forecastsTopic, bytes))
                             : bytes -> ForecastReader.fromJson(json, bytes),
                        view::accept);
                Thread reading = new Thread(reader, "demo-view-reader");
                app.start();
                producing.start();
                reading.start();
                long end = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
                while (System.nanoTime() < end && !stop.await(1, TimeUnit.SECONDS)) {
                    display.show(view);
                }
                ending = stop.getCount() == 0 ? "stopped (Ctrl-C or SIGTERM)" : "finished";
                producer.stop();
                producing.join(10_000);
                reader.stop();
                reading.join(10_000);
                app.close();
                display.show(view);
                summary = new java.util.ArrayList<>(List.of(String.format(java.util.Locale.ROOT,
                        "demo %s: %,d readings produced, %,d forecasts read back", ending, producer.sent(),
                        view.forecastsSeen())));
                summary.addAll(view.summary(producer.sent(), Duration.ofNanos(System.nanoTime() - started)));
            } finally {
                // Kafka Streams' state (RocksDB) of this run; the broker's data went with EmbeddedKafka.close().
                deleteDirectory(stateDirectory, out);
            }
            summary.forEach(out::println);
            out.printf("  temp dirs     removed (broker data, Kafka Streams state); the log stays: %s%n", logs.file());
            out.flush();
        } finally {
            signals.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already stopping, and we are done.
            }
        }
        return 0;
    }

    private static void deleteDirectory(Path directory, PrintWriter out) {
        try {
            org.apache.kafka.common.utils.Utils.delete(directory.toFile());
        } catch (java.io.IOException e) {
            out.printf("could not delete %s: %s%n", directory, e.getMessage());
        }
    }

    /** The main settings, then every one given on the command line (a derived default is no change). */
    private String learnerLine(LearnerConfig config) {
        List<String> main = List.of("horizon", "hidden", "layers", "chunk", "window", "optimizer", "lr");
        java.util.Set<String> given = learner.toSettings().all().keySet();
        StringBuilder line = new StringBuilder();
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            if (main.contains(s.key()) || given.contains(LearnerSettings.PREFIX + s.key())) {
                line.append(line.length() == 0 ? "" : ", ").append(s.key()).append(' ').append(s.valueIn(config));
            }
        }
        return line + " (learner.* settings: streamgru demo --help)";
    }

    private Settings demoSettings(String bootstrapServers, String registryUrl, boolean avro, Path stateDirectory) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("app.id", "streamgru-demo");
        m.put("kafka.bootstrap.servers", bootstrapServers);
        m.put("schema.registry.url", registryUrl);
        m.put("input.topics", INPUT_TOPIC);
        m.put("input.format", avro ? "avro" : "json");
        m.put("input.features", avro ? "features.outdoor,features.occupancy" : "outdoor,occupancy");
        m.put("input.target", avro ? "target" : "temperature");
        m.put("input.time", avro ? "event_time" : "time");
        m.put("streaming.gradient.flush.ms", "1000");
        m.put("http.port", Integer.toString(httpPort));
        m.put("http.bind", "127.0.0.1");
        m.put("kafka.state.dir", stateDirectory.toString());
        return Settings.of(m, "demo").overriddenBy(learner.toSettings());
    }

    /** Parses 30s, 5m, 2h, 500ms or ISO-8601 (PT30S). */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + value + "' is not a duration like 30s, 5m, 2h or PT30S");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }
}
