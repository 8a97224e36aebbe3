package io.streamgru.bench.e2e;

import io.streamgru.app.embedded.EmbeddedKafka;
import io.streamgru.app.topology.StoreNames;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Key cardinality: {@code streamgru run} as its own process (one instance) over {@code keys} keys ×
 * {@code --records-per-key} readings each, for each key count of {@code --keys}, against an in-JVM
 * KRaft broker in this process. Run with bench/key-cardinality.sh; results in docs/BENCHMARKS.md.
 *
 * <p>Per key count: the input is produced first (record i belongs to key i mod keys, step i / keys:
 * a key's readings are {@code keys} records apart, so the state cache never holds a key between two
 * of its readings and every reading is a RocksDB read and write). Then the app is started with a
 * fresh state directory and timed until its committed input offsets reach the end (exactly-once:
 * committed with the forecasts): the rate is counted from its first commit, so JVM start, checks and
 * the group's join are not in it (they are reported apart as {@code start_s}). Sampled every second:
 * the process's resident set (VmRSS; VmHWM, the kernel's peak, at the end) and the heap in use
 * (its {@code /metrics}). Then the app is stopped (SIGTERM: it commits and closes its stores) and
 * the state directory's size on disk taken, and the app is restarted twice, each time with one new
 * reading per input partition whose processing marks the instance as working again: with its state
 * directory kept (a plain restart) and with it deleted (every key restored from the key-state
 * changelog: the restore time is the difference). The run's topics are deleted afterwards.
 */
public final class KeyCardinality {

    private static final PrintStream OUT = System.out;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Options options;
    private final EmbeddedKafka kafka;
    private final Admin admin;
    private final Path workDir;

    private KeyCardinality(Options options, EmbeddedKafka kafka, Path workDir) {
        this.options = options;
        this.kafka = kafka;
        this.workDir = workDir;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        OUT.println("# StreamGRU key cardinality: one `streamgru run` process, in-JVM broker in the harness");
        OUT.println(EndToEndThroughput.environment());
        OUT.println("# options: " + options);
        Path workDir = Files.createTempDirectory("streamgru-keybench-");
        List<Result> results = new ArrayList<>();
        boolean failed = false;
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            KeyCardinality bench = new KeyCardinality(options, kafka, workDir);
            try {
                for (int keys : options.keys) {
                    Result r = bench.run(keys);
                    results.add(r);
                    OUT.println(Result.HEADER);
                    OUT.println(r.line());
                }
            } catch (Exception | Error e) {
                e.printStackTrace();
                OUT.println("# FAILED: " + e);
                failed = true;
            } finally {
                bench.admin.close(Duration.ofSeconds(5));
            }
        } finally {
            Utils.delete(workDir.toFile());
        }
        OUT.println();
        OUT.println("| keys | records | rate (records/s) | processing (s) | start (s) | peak RSS (MB) | peak heap used (MB) "
                + "| state on disk (MB) | key-state changelog (MB) | restart, state kept (s) | restart, state restored (s) "
                + "| restore (s) |");
        OUT.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach(r -> OUT.println(r.markdown()));
        OUT.println(EndToEndThroughput.environment());
        System.exit(failed ? 1 : 0); // Kafka's non-daemon leftovers must not keep the JVM up
    }

    private Result run(int keys) throws Exception {
        long records = (long) keys * options.recordsPerKey;
        String run = String.format(Locale.ROOT, "keys-%d-%d", keys, System.currentTimeMillis() % 1_000_000);
        String input = run + "-input";
        produce(input, keys, records);
        Path stateDir = Files.createDirectory(workDir.resolve(run + "-state"));
        int port = freePort();
        Path settings = writeSettings(run, input, stateDir, port);
        Path log = Path.of("bench/out", run + ".app.log").toAbsolutePath();

        // 1. Every record, from a fresh state directory.
        long t0 = System.nanoTime();
        Process app = launch(settings, log);
        Samples samples = new Samples();
        long firstCommit = -1;
        long nextReport = t0 + TimeUnit.SECONDS.toNanos(10);
        long deadline = t0 + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        while (true) {
            long done = committed(run, input);
            long now = System.nanoTime();
            if (done > 0 && firstCommit < 0) {
                firstCommit = now;
            }
            samples.take(app, port);
            if (done >= records) {
                break;
            }
            if (!app.isAlive()) {
                throw new IllegalStateException(run + ": the app exited (" + app.exitValue() + "); its log: " + log);
            }
            if (now > deadline) {
                stop(app);
                throw new IllegalStateException(run + ": " + done + " of " + records + " records after "
                        + options.timeoutSeconds + " s; its log: " + log);
            }
            if (now > nextReport) {
                System.err.printf(Locale.ROOT, "progress %s: %.0f s, %,d of %,d, RSS %.0f MB, heap %.0f MB, keys %s, "
                        + "expired %s%n", run, (now - t0) / 1e9, done, records, samples.rss / 1e6, samples.heap / 1e6,
                        samples.keys, samples.expired);
                nextReport = now + TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(1000);
        }
        long end = System.nanoTime();
        long peakRss = Math.max(samples.maxRss, status(app, "VmHWM"));
        String keysHeld = samples.keys + " (expired " + samples.expired + ")";
        stop(app);
        long stateBytes = sizeOnDisk(stateDir);
        long changelogBytes = topicBytes(StoreNames.changelogTopic(run, StoreNames.KEY_STATE));

        // 2. A restart with the state directory kept, then 3. one with it deleted (restored from the changelog).
        double warm = restart(settings, log, input, port);
        Utils.delete(stateDir.toFile());
        Files.createDirectory(stateDir);
        double restored = restart(settings, log, input, port);
        Utils.delete(stateDir.toFile());
        deleteTopics(run);
        return new Result(keys, records, (end - firstCommit) / 1e9, (firstCommit - t0) / 1e9, peakRss, samples.maxHeap,
                stateBytes, changelogBytes, warm, restored, keysHeld);
    }

    // ---------------------------------------------------------------- the app's process

    private Path writeSettings(String run, String input, Path stateDir, int port) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("app.id", run);
        m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        m.put("kafka.state.dir", stateDir.toString());
        m.put("input.topics", input);
        m.put("input.features", IntStream.range(0, options.features).mapToObj(BenchData::feature)
                .collect(Collectors.joining(",")));
        m.put("input.target", BenchData.TARGET);
        m.put("learner.hidden", Integer.toString(options.hidden));
        m.put("http.port", Integer.toString(port));
        m.put("http.bind", "127.0.0.1");
        m.putAll(options.extraSettings);
        Path file = workDir.resolve(run + ".properties");
        Files.writeString(file, m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }

    private Process launch(Path settings, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-modules", "jdk.incubator.vector")); // model-core's vector kernels
        command.addAll(List.of(options.appJvm.trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.streamgru.app.cli.StreamGruCommand",
                "run", "--config", settings.toString()));
        Process app = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // The app must not outlive the harness (Ctrl-C, a failure): SIGTERM it on the way out.
        Runtime.getRuntime().addShutdownHook(new Thread(app::destroy));
        return app;
    }

    private static void stop(Process app) throws InterruptedException {
        app.destroy(); // SIGTERM: `run` commits and closes its stores
        if (!app.waitFor(180, TimeUnit.SECONDS)) {
            app.destroyForcibly().waitFor();
        }
    }

    /**
     * Seconds from launching the app until it has processed one new reading in each input
     * partition (committed): its tasks are restored and running.
     */
    private double restart(Path settings, Path log, String input, int port) throws Exception {
        long before = committed(settings.getFileName().toString().replace(".properties", ""), input);
        long t0 = System.nanoTime();
        Process app = launch(settings, log);
        String run = settings.getFileName().toString().replace(".properties", "");
        try {
            produceProbes(input);
            long deadline = t0 + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
            while (committed(run, input) < before + options.partitions) {
                if (!app.isAlive()) {
                    throw new IllegalStateException(run + ": the app exited on restart; its log: " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(run + ": no progress after restart; its log: " + log);
                }
                Thread.sleep(200);
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            stop(app);
        }
    }

    /** What the app's process used, sampled. */
    private static final class Samples {
        long rss;
        long maxRss;
        double heap;
        double maxHeap;
        String keys = "?";
        String expired = "0";

        void take(Process app, int port) {
            rss = status(app, "VmRSS");
            maxRss = Math.max(maxRss, rss);
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                double used = 0;
                for (String line : r.body().split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    } else if (line.startsWith("streamgru_keys ")) {
                        keys = String.format(Locale.ROOT, "%,.0f", Double.parseDouble(line.substring(15).trim()));
                    } else if (line.startsWith("streamgru_keys_expired_total ")) {
                        expired = String.format(Locale.ROOT, "%,.0f",
                                Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim()));
                    }
                }
                heap = used;
                maxHeap = Math.max(maxHeap, used);
            } catch (IOException | RuntimeException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A field of /proc/PID/status in bytes (VmRSS, VmHWM), 0 if unreadable. */
    private static long status(Process app, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(app.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    private static long sizeOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- the broker

    private void produce(String topic, int keys, long records) throws Exception {
        kafka.createTopic(topic, options.partitions, Map.of());
        BenchData data = new BenchData(keys, records);
        long start = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, null, data.timestamp(i / keys),
                        BenchData.key((int) (i % keys)).getBytes(StandardCharsets.UTF_8), data.json(i)), (m, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the input failed", failure.get());
        }
        long held = end(topic);
        if (held != records) {
            throw new IllegalStateException(topic + " holds " + held + " records, expected " + records);
        }
        OUT.printf(Locale.ROOT, "# input: %,d records of %,d keys in '%s' (%d partitions), produced in %.1f s%n",
                records, keys, topic, options.partitions, (System.nanoTime() - start) / 1e9);
    }

    /** One new reading in each partition (of a key of its own), stamped now. */
    private void produceProbes(String topic) throws Exception {
        BenchData data = new BenchData(1, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int p = 0; p < options.partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, System.currentTimeMillis(),
                        ("probe-" + p).getBytes(StandardCharsets.UTF_8), data.json(0))).get();
            }
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // As EndToEndThroughput: not idempotent, one request in flight keeps the order; the count checks it.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return config;
    }

    private long end(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < options.partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }

    /** Input records the app's group has committed (exactly-once: with their forecasts). */
    private long committed(String appId, String input) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(appId)
                .partitionsToOffsetAndMetadata().get();
        long done = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getKey().topic().equals(input) && e.getValue() != null) {
                done += e.getValue().offset();
            }
        }
        return done;
    }

    private long topicBytes(String topic) throws Exception {
        long[] bytes = {0};
        admin.describeLogDirs(List.of(1)).allDescriptions().get().values().forEach(dirs -> dirs.values()
                .forEach(dir -> dir.replicaInfos().forEach((tp, info) -> {
                    if (tp.topic().equals(topic)) {
                        bytes[0] += info.size();
                    }
                })));
        return bytes[0];
    }

    private void deleteTopics(String run) throws Exception {
        List<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(run)).toList();
        admin.deleteTopics(topics).all().get();
    }

    // ---------------------------------------------------------------- options and results

    record Result(int keys, long records, double processingSeconds, double startSeconds, long peakRss, double peakHeap,
                  long stateBytes, long changelogBytes, double warmRestart, double restoredRestart, String keysHeld) {

        static final String HEADER = "keys\trecords\trate_per_s\tprocessing_s\tstart_s\tpeak_rss_mb\tpeak_heap_mb"
                + "\tstate_disk_mb\tchangelog_mb\trestart_kept_s\trestart_restored_s\trestore_s\tkeys_gauge";

        double rate() {
            return records / processingSeconds;
        }

        String line() {
            return String.format(Locale.ROOT, "%d\t%d\t%.0f\t%.1f\t%.1f\t%.0f\t%.0f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%s",
                    keys, records, rate(), processingSeconds, startSeconds, peakRss / 1e6, peakHeap / 1e6,
                    stateBytes / 1e6, changelogBytes / 1e6, warmRestart, restoredRestart, restoredRestart - warmRestart,
                    keysHeld);
        }

        String markdown() {
            return String.format(Locale.ROOT, "| %,d | %,d | %,.0f | %.1f | %.1f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f "
                            + "| %.1f |", keys, records, rate(), processingSeconds, startSeconds, peakRss / 1e6,
                    peakHeap / 1e6, stateBytes / 1e6, changelogBytes / 1e6, warmRestart, restoredRestart,
                    restoredRestart - warmRestart);
        }
    }

    record Options(List<Integer> keys, int recordsPerKey, int partitions, int hidden, int features, String appJvm,
                   int timeoutSeconds, Map<String, String> extraSettings) {

        static Options parse(String[] args) {
            HarnessArguments parsed = HarnessArguments.parse(args);
            Map<String, String> a = parsed.named();
            Map<String, String> extra = parsed.settings();
            return new Options(Stream.of(a.getOrDefault("keys", "1000,10000,100000").split(","))
                    .map(s -> Integer.parseInt(s.trim().replace("_", ""))).toList(),
                    Integer.parseInt(a.getOrDefault("records-per-key", "5")),
                    Integer.parseInt(a.getOrDefault("partitions", "4")),
                    Integer.parseInt(a.getOrDefault("hidden", "64")),
                    Integer.parseInt(a.getOrDefault("features", "6")),
                    a.getOrDefault("app-jvm", "-Xmx1g"),
                    Integer.parseInt(a.getOrDefault("timeout", "3600")), extra);
        }
    }
}
