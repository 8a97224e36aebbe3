package io.streamgru.bench.e2e;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.embedded.EmbeddedKafka;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.topics.TopicProvisioner;
import io.streamgru.app.topology.JsonForecastEncoder;
import io.streamgru.app.topology.StreamGruMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * End-to-end throughput of StreamGRU against two pass-through Kafka Streams apps
 * ({@link PassThroughTopology}): {@code stateless} (read, map to a forecast, write: the cheapest
 * app doing the job) and {@code passthrough} (the same plus a key-state store written as StreamGRU
 * writes it: the same shape without the learning), side by side in one JVM with an in-JVM KRaft
 * broker ({@link EmbeddedKafka}), all under the same processing guarantee. See
 * docs/benchmarks-e2e.md; run with bench/e2e-throughput.sh.
 *
 * <p>Pre-produces {@code --records} JSON records ({@value BenchData#FEATURES} features and a target,
 * {@code --keys} keys) into one input topic, then, for each processing guarantee, alternates the
 * variants {@code --repeats} times (ABBA order), each run with a fresh application id, state
 * directory and output topics over the whole input topic. A run's clock starts just before
 * {@code KafkaStreams.start()} (topics already exist) and stops when every input record is
 * accounted for: with exactly-once, when the group's committed input offsets (committed in the same
 * transactions as the forecasts) reach the end of the input; with at-least-once, when the output
 * topic holds one record per input record. Then the output is counted with a read_committed
 * consumer (must be exactly one per input record with exactly-once) and the run's topics deleted.
 *
 * <p>Per run it also reports the steady rate (between 10 % and 90 % of the input), the process CPU
 * time per record split by thread group (the app's stream threads, its global thread, its client
 * I/O threads, everything else: the broker and this harness; the rest of the process CPU is GC, JIT
 * and other VM threads), the stream threads' allocation per record, GC counts, the bytes each of
 * the run's topics holds on the broker (also per input record, and their medians by variant in the
 * report) and, for StreamGRU, when the optimizer had dealt with every
 * gradient batch ({@code learned_s}) and the app's counters. {@code --jfr DIR} records each run
 * with JFR (bench/jfr-breakdown.py reads the recordings); {@code --diagnose true} adds offsets,
 * transactions and a per-key check of the forecasts. A warm-up run of each variant over a smaller
 * topic ({@code --warmup-records}) comes first and is not reported.
 */
public final class EndToEndThroughput {

    private static final PrintStream OUT = System.out;
    static final String STREAMGRU = "streamgru";
    /** The pass-through with StreamGRU's key-state store (same shape, no learning). */
    static final String SAME_SHAPE = "passthrough";
    static final String STATELESS = "stateless";
    private static final Duration POLL = Duration.ofMillis(25);

    private final Options options;
    private final EmbeddedKafka kafka;
    private final Admin admin;
    private final BenchData data;
    private final Path workDir;
    private Map<TopicPartition, Long> inputEnd;
    /** The input topic runs read, and its record count. */
    private String topic;
    private long records;

    private EndToEndThroughput(Options options, EmbeddedKafka kafka, Path workDir) {
        this.options = options;
        this.kafka = kafka;
        this.workDir = workDir;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        this.data = new BenchData(options.keys, Math.max(options.records, options.warmupRecords));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        OUT.println("# StreamGRU end-to-end throughput");
        OUT.println(environment());
        OUT.println("# options: " + options);
        Path workDir = Files.createTempDirectory("streamgru-e2ebench-");
        List<RunResult> results = null;
        try (EmbeddedKafka kafka = new EmbeddedKafka()) { // closing it deletes the broker's data
            EndToEndThroughput bench = new EndToEndThroughput(options, kafka, workDir);
            try {
                results = bench.runAll();
            } catch (Exception | Error e) {
                e.printStackTrace();
                OUT.println("# FAILED: " + e);
            } finally {
                bench.admin.close(Duration.ofSeconds(5));
            }
        } finally {
            Utils.delete(workDir.toFile());
        }
        if (results == null) {
            System.exit(1); // Kafka's and RocksDB's non-daemon leftovers must not keep the JVM up
        }
        report(results, options);
        OUT.println(environment());
        System.exit(0); // Kafka's and RocksDB's non-daemon leftovers must not keep the JVM up
    }

    static String environment() {
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            load = "?";
        }
        return String.format(Locale.ROOT, "# env: %d CPUs, %s %s (%s), load avg %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.arch"), load);
    }

    // ---------------------------------------------------------------- input

    private void produceInput(String topic, long records) throws Exception {
        this.topic = topic;
        this.records = records;
        kafka.createTopic(topic, options.partitions, Map.of());
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                // Not idempotent: Kafka 4.3.1's idempotent producer can get stuck retrying OUT_OF_ORDER_SEQUENCE_NUMBER
                // (seen once under load); one request in flight keeps the order, and the count below catches duplicates.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        long start = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < records; i++) {
                int k = (int) (i % options.keys);
                byte[] value = data.json(i);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, null, data.timestamp(i / options.keys),
                        BenchData.key(k).getBytes(StandardCharsets.UTF_8), value), (m, e) -> {
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
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < options.partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        inputEnd = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> inputEnd.put(tp, info.offset()));
        long total = inputEnd.values().stream().mapToLong(Long::longValue).sum();
        if (total != records) {
            throw new IllegalStateException("input holds " + total + " records, expected " + records);
        }
        OUT.printf(Locale.ROOT, "# input: %,d records (%,d keys, %.0f value bytes on average) in '%s', %d partitions %s,"
                        + " produced in %.1f s%n", records, options.keys, (double) bytes / records,
                topic, options.partitions, inputEnd.values(), (System.nanoTime() - start) / 1e9);
    }

    // ---------------------------------------------------------------- runs

    private List<RunResult> runAll() throws Exception {
        List<RunResult> results = new ArrayList<>();
        BenchData.StateCycle cycle = data.stateCycle(config("template", options.guarantees.get(0), "/tmp").learner());
        OUT.printf(Locale.ROOT, "# learner: %s; input size I = %d%n", config("template", options.guarantees.get(0),
                "/tmp").learner(), config("template", options.guarantees.get(0), "/tmp").learner().inputSize());
        OUT.printf(Locale.ROOT, "# key-state bytes per record (SeriesStateCodec): %s; cycle of %d from record %d,"
                        + " mean %.0f bytes%n", cycle.states().stream().map(b -> Integer.toString(b.length))
                        .collect(Collectors.joining(",")), cycle.period(), cycle.cycleStart() + 1, cycle.meanCycleBytes());
        if (options.warmupRecords > 0) {
            // JIT and broker warm-up for both variants, not reported: otherwise the first run pays for it.
            produceInput(options.inputTopic + "-warmup", options.warmupRecords);
            for (String variant : options.variants) {
                RunResult r = run(variant, options.guarantees.get(0), 0, cycle);
                OUT.printf(Locale.ROOT, "# warm-up %s %s: %.0f records/s%n", variant, r.guarantee(), r.rate());
            }
        }
        produceInput(options.inputTopic, options.records);
        OUT.println(RunResult.HEADER);
        for (String guarantee : options.guarantees) {
            for (int rep = 1; rep <= options.repeats; rep++) {
                List<String> order = new ArrayList<>(options.variants);
                if (rep % 2 == 0) {
                    java.util.Collections.reverse(order); // ABBA: neither goes first every time
                }
                for (String variant : order) {
                    RunResult r = run(variant, guarantee, rep, cycle);
                    results.add(r);
                    OUT.println(r.line());
                }
            }
        }
        return results;
    }

    private StreamGruConfig config(String appId, String guarantee, String stateDir) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("app.id", appId);
        m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        m.put("kafka.state.dir", stateDir);
        m.put("input.topics", topic == null ? options.inputTopic : topic);
        m.put("input.features", String.join(",", java.util.stream.IntStream.range(0, options.features)
                .mapToObj(BenchData::feature).toList()));
        m.put("input.target", BenchData.TARGET);
        m.put("learner.hidden", Integer.toString(options.hidden));
        m.put("streaming.processing.guarantee", guarantee);
        m.putAll(options.extraSettings);
        return StreamGruConfig.from(Settings.of(m, "e2e benchmark"));
    }

    private RunResult run(String variant, String guarantee, int rep, BenchData.StateCycle cycle) throws Exception {
        String appId = String.format(Locale.ROOT, "e2e-%s-%s-%d-%d", variant, guarantee.equals(StreamsConfig.AT_LEAST_ONCE)
                ? "alos" : "eos", rep, System.currentTimeMillis() % 1_000_000);
        Path stateDir = Files.createTempDirectory(workDir, appId);
        StreamGruConfig config = config(appId, guarantee, stateDir.toString());
        String outputTopic = config.output().topic();
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        LongAdder passThroughRecords = new LongAdder();
        StreamGruApp app = null;
        KafkaStreams passThrough = null;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        if (variant.equals(STREAMGRU)) {
            TopicProvisioner.provision(admin, config); // its topics exist before the clock starts, as the baseline's
            app = new StreamGruApp(config, metrics);
        } else { // a pass-through
            kafka.createTopic(outputTopic, options.partitions, Map.of());
            kafka.createTopic(config.deadLetterTopic(), options.partitions, Map.of());
            InputFields fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                    config.input().target());
            String hash = config.configHash();
            int features = config.input().features().size();
            passThrough = new KafkaStreams(variant.equals(STATELESS)
                    ? PassThroughTopology.stateless(topic, outputTopic, config.deadLetterTopic(), hash,
                    config.learner().horizon(), () -> new JsonRecordDecoder(fields), JsonForecastEncoder::new, features,
                    passThroughRecords)
                    : PassThroughTopology.sameShape(topic, outputTopic, config.deadLetterTopic(), hash,
                    config.learner().horizon(), () -> new JsonRecordDecoder(fields), JsonForecastEncoder::new, features,
                    cycle.states(), cycle.cycleStart(), passThroughRecords), streamsProperties(config));
            passThrough.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
        }
        Recording jfr = startRecording(appId);
        System.gc();
        Snapshot before = Snapshot.take(appId);
        long t0 = System.nanoTime();
        if (app != null) {
            app.start();
        } else {
            passThrough.start();
        }
        boolean eos = !guarantee.equals(StreamsConfig.AT_LEAST_ONCE);
        Progress progress;
        try {
            progress = awaitAll(appId, outputTopic, eos, t0, failure, () -> variant.equals(STREAMGRU)
                    ? String.format(Locale.ROOT, "processed %d, forecasts %d, %s", metrics.records(),
                    metrics.forecasts(), new RunResult(variant, guarantee, rep, 0, null, null, null, 0, 0, metrics, 0, Map.of()).extra())
                    : "processed " + passThroughRecords.sum());
        } catch (RuntimeException | InterruptedException e) {
            dumpThreads(appId);
            KafkaStreams streams = app != null ? app.streams() : passThrough;
            streams.metadataForLocalThreads().forEach(t -> {
                System.err.println("thread metadata: " + t.threadName() + " " + t.threadState());
                t.activeTasks().forEach(task -> System.err.println("  active " + task.taskId() + " partitions "
                        + task.topicPartitions() + " committed " + task.committedOffsets() + " end " + task.endOffsets()
                        + " idling since " + task.timeCurrentIdlingStarted()));
                t.standbyTasks().forEach(task -> System.err.println("  standby " + task.taskId()));
            });
            if (app != null) {
                app.close(Duration.ofSeconds(10));
            } else {
                passThrough.close(Duration.ofSeconds(10));
            }
            throw e;
        }
        Snapshot after = Snapshot.take(appId);
        double learnedSeconds = app != null ? awaitOptimizer(metrics, t0) : Double.NaN;
        stopRecording(jfr, appId);
        long closeStart = System.nanoTime();
        if (app != null) {
            app.close(Duration.ofSeconds(60));
        } else {
            passThrough.close(CloseOptions.timeout(Duration.ofSeconds(60))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        double closeSeconds = (System.nanoTime() - closeStart) / 1e9;
        long outputs = countCommitted(outputTopic);
        if (eos && outputs != records || options.diagnose) {
            diagnose(appId);
        }
        if (eos ? outputs != records : outputs < records) {
            throw new IllegalStateException(appId + ": " + outputs + " committed forecasts for " + records
                    + " records");
        }
        RunResult result = new RunResult(variant, guarantee, rep, records, progress, before, after, closeSeconds,
                outputs, app != null ? metrics : null, learnedSeconds, topicBytes(appId));
        deleteTopicsOf(appId);
        Utils.delete(stateDir.toFile());
        return result;
    }

    /** Kafka Streams settings as {@code StreamGruApp.streamsProperties()} makes them (it is package-private). */
    private static Properties streamsProperties(StreamGruConfig config) {
        Properties p = new Properties();
        int maxBytes = config.streaming().maxMessageBytes();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.appId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.streaming().processingGuarantee());
        p.put("processing.exception.handler.global.enabled", "true");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), Math.max(maxBytes, 52_428_800));
        if (!StreamsConfig.AT_LEAST_ONCE.equals(config.streaming().processingGuarantee())) {
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50L); // StreamGRU's learners' exactly-once default
        }
        p.putAll(config.kafka());
        return p;
    }

    /** Waits until every input record is accounted for; records when progress began and passed 10 % and 90 %. */
    private Progress awaitAll(String appId, String outputTopic, boolean eos, long t0, AtomicReference<Throwable> failure,
                              java.util.function.Supplier<String> state) throws Exception {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        long first = -1;
        long at10 = -1;
        long at90 = -1;
        long n = records;
        long nextReport = t0 + TimeUnit.SECONDS.toNanos(10);
        Map<TopicPartition, OffsetSpec> outputLatest = new HashMap<>();
        for (int p = 0; p < options.partitions; p++) {
            outputLatest.put(new TopicPartition(outputTopic, p), OffsetSpec.latest());
        }
        while (true) {
            long done;
            if (eos) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                        .partitionsToOffsetAndMetadata().get();
                done = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                    if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                        done += e.getValue().offset();
                    }
                }
            } else {
                ListOffsetsResult offsets = admin.listOffsets(outputLatest);
                done = offsets.all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                        .sum();
            }
            long now = System.nanoTime();
            if (now > nextReport) {
                String gradients = "";
                if (options.diagnose) {
                    TopicPartition g = new TopicPartition(appId + "-gradients", 0);
                    OffsetAndMetadata c = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get().get(g);
                    long lso = admin.listOffsets(Map.of(g, OffsetSpec.latest()),
                            new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all().get().get(g).offset();
                    gradients = "; gradients committed " + (c == null ? "-" : c.offset()) + " of LSO " + lso;
                }
                System.err.printf(Locale.ROOT, "progress %s: %.0f s, %d of %d done; %s%s%n", appId, (now - t0) / 1e9, done,
                        n, state.get(), gradients);
                nextReport = now + TimeUnit.SECONDS.toNanos(options.diagnose ? 3 : 10);
            }
            if (done > 0 && first < 0) {
                first = now;
            }
            if (done >= n / 10 && at10 < 0) {
                at10 = now;
            }
            if (done >= n * 9 / 10 && at90 < 0) {
                at90 = now;
            }
            if (done >= n) {
                return new Progress(t0, first, at10, at90, now);
            }
            if (failure.get() != null) {
                throw new IllegalStateException(appId + " failed", failure.get());
            }
            if (now > deadline) {
                throw new IllegalStateException(appId + ": only " + done + " of " + n + " records done after "
                        + options.timeoutSeconds + " s (" + state.get() + ")");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Seconds from the start until the optimizer has dealt with every gradient batch sent so far
     * (applied or dropped as stale): when the model has learned from the whole input, which can be
     * later than the last forecast (the optimizer shares the stream thread with the learner tasks).
     */
    private double awaitOptimizer(StreamGruMetrics m, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long dealt = m.gradientBatchesApplied() + m.staleBatchesDropped() + m.rejectedBatches();
            if (dealt >= m.gradientBatchesSent()) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Thread.sleep(POLL.toMillis());
        }
        return Double.NaN;
    }

    /** Bytes on the broker per topic of the run (partitions summed, the app id prefix dropped). */
    private Map<String, Long> topicBytes(String appId) throws Exception {
        Map<String, Long> bytes = new java.util.TreeMap<>();
        admin.describeLogDirs(List.of(1)).allDescriptions().get().values().forEach(dirs -> dirs.values()
                .forEach(dir -> dir.replicaInfos().forEach((tp, info) -> {
                    if (tp.topic().startsWith(appId + "-")) {
                        bytes.merge(tp.topic().substring(appId.length() + 1), info.size(), Long::sum);
                    }
                })));
        return bytes;
    }

    /** High watermarks against last stable offsets of the run's topics, and open transactions, to stderr. */
    private void diagnose(String appId) throws Exception {
        Set<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(appId))
                .collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) -> d.partitions()
                .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        var hw = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                IsolationLevel.READ_UNCOMMITTED)).all().get();
        var lso = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                IsolationLevel.READ_COMMITTED)).all().get();
        new java.util.TreeMap<>(hw.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().toString(),
                e -> e.getValue().offset() + (lso.get(e.getKey()).offset() == e.getValue().offset() ? ""
                        : " LSO " + lso.get(e.getKey()).offset())))).forEach((tp, o) ->
                System.err.println("diagnose " + tp + ": end " + o));
        String forecasts = appId + "-forecasts";
        for (IsolationLevel isolation : IsolationLevel.values()) {
            Map<String, Long> perPartition = new java.util.TreeMap<>();
            long n = count(forecasts, isolation, perPartition);
            System.err.println("diagnose " + forecasts + " " + isolation + ": " + n + " records " + perPartition);
        }
        System.err.println("diagnose input: " + new java.util.TreeMap<>(inputEnd.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue))));
        admin.listTransactions().all().get().forEach(t -> System.err.println("diagnose transaction "
                + t.transactionalId() + " " + t.state() + " producer " + t.producerId()));
    }

    /** Stack traces of the app's threads, to stderr (after a stall). */
    private static void dumpThreads(String appId) {
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().contains(appId)) {
                StringBuilder s = new StringBuilder("thread dump: \"" + t.getName() + "\" " + t.getState() + "\n");
                for (StackTraceElement e : stack) {
                    s.append("    at ").append(e).append('\n');
                }
                System.err.print(s);
            }
        });
    }

    /** Records a read_committed consumer sees in {@code topic}. */
    private long countCommitted(String topic) {
        return count(topic, IsolationLevel.READ_COMMITTED, null);
    }

    /** Records in {@code topic} as seen with {@code isolation}; with {@code perPartition}, also counted by partition
     *  and by distinct (key, event_time) of the forecasts. */
    private long count(String topic, IsolationLevel isolation, Map<String, Long> perPartition) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // last stable offsets (read_committed)
            long count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Set<String> distinct = new java.util.HashSet<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                var polled = consumer.poll(Duration.ofMillis(500));
                count += polled.count();
                if (perPartition != null) {
                    for (var r : polled) {
                        perPartition.merge(topic + "-" + r.partition(), 1L, Long::sum);
                        String v = new String(r.value(), StandardCharsets.UTF_8);
                        int t = v.indexOf("\"event_time\":");
                        distinct.add(new String(r.key(), StandardCharsets.UTF_8) + "@"
                                + v.substring(t, v.indexOf(',', t)));
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("counting " + topic + " timed out");
                }
            }
            if (perPartition != null) {
                perPartition.put("distinct (key, event_time)", (long) distinct.size());
                Map<Long, Long> missingBySteps = new java.util.TreeMap<>();
                Map<Integer, Long> missingByKey = new java.util.TreeMap<>();
                for (long i = 0; i < records; i++) {
                    int k = (int) (i % options.keys);
                    long step = i / options.keys;
                    if (!distinct.contains(BenchData.key(k) + "@\"event_time\":" + data.timestamp(step))) {
                        missingBySteps.merge(step / 10 * 10, 1L, Long::sum);
                        missingByKey.merge(k, 1L, Long::sum);
                    }
                }
                System.err.println("diagnose missing by step (tens): " + missingBySteps);
                System.err.println("diagnose missing by key: " + missingByKey);
                perPartition.put("end offsets", end.values().stream().mapToLong(Long::longValue).sum());
            }
            return count;
        }
    }

    private void deleteTopicsOf(String appId) throws Exception {
        Set<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(appId))
                .collect(Collectors.toSet());
        admin.deleteTopics(topics).all().get();
    }

    private Recording startRecording(String appId) throws IOException, ParseException {
        if (options.jfrDir == null) {
            return null;
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        // Same period for Java and native samples, so their counts add up (RocksDB runs in native code).
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
        r.setName(appId);
        r.start();
        return r;
    }

    private void stopRecording(Recording r, String appId) throws IOException {
        if (r == null) {
            return;
        }
        r.stop();
        Files.createDirectories(options.jfrDir);
        Path file = options.jfrDir.resolve(appId + ".jfr");
        r.dump(file);
        r.close();
        OUT.println("# JFR: " + file);
    }

    // ---------------------------------------------------------------- measurements

    /** When a run started, began to make progress, passed 10 % and 90 %, and finished (System.nanoTime). */
    record Progress(long start, long first, long at10, long at90, long end) {
        double seconds() {
            return (end - start) / 1e9;
        }

        double startupSeconds() {
            return (first - start) / 1e9;
        }

        /** Records per second between 10 % and 90 % of the input: the steady rate, without start-up and tail. */
        double steadyRate(long records) {
            long between = records * 9 / 10 - records / 10;
            return between / ((at90 - at10) / 1e9);
        }
    }

    /** CPU time and allocation of this JVM, split by thread groups, at one moment. */
    record Snapshot(long processCpuNs, Map<String, Long> threadCpuNs, Map<String, Long> threadAllocated, long gcCount,
                    long gcMillis) {

        static final List<String> GROUPS = List.of("stream", "global", "clients", "other");

        static Snapshot take(String appId) {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            Map<String, Long> cpu = new HashMap<>();
            Map<String, Long> alloc = new HashMap<>();
            GROUPS.forEach(g -> {
                cpu.put(g, 0L);
                alloc.put(g, 0L);
            });
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                String g = group(t.getName(), appId);
                long c = threads.getThreadCpuTime(t.getId());
                long a = threads.getThreadAllocatedBytes(t.getId());
                if (c > 0) {
                    cpu.merge(g, c, Long::sum);
                }
                if (a > 0) {
                    alloc.merge(g, a, Long::sum);
                }
            }
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            return new Snapshot(os.getProcessCpuTime(), cpu, alloc, gcCount, gcMillis);
        }

        /** stream: the app's StreamThreads; global: its GlobalStreamThread; clients: its other threads (producer
         *  and consumer I/O, admin); other: everything else (the broker, the harness, GC and JIT are not Java threads). */
        static String group(String name, String appId) {
            if (!name.contains(appId)) {
                return "other";
            }
            if (name.contains("GlobalStreamThread") && !name.contains("|")) {
                return "global";
            }
            if (name.matches(".*-StreamThread-\\d+$") && !name.contains("|")) {
                return "stream";
            }
            return "clients";
        }
    }

    record RunResult(String variant, String guarantee, int rep, long records, Progress progress, Snapshot before,
                     Snapshot after, double closeSeconds, long outputs, StreamGruMetrics metrics, double learnedSeconds,
                     Map<String, Long> topicBytes) {

        static final String HEADER = "variant\tguarantee\trep\trecords\tseconds\trate\tsteady_rate\tstartup_s"
                + "\tcpu_us_per_rec\tstream_cpu_us_per_rec\tglobal_cpu_us_per_rec\tclients_cpu_us_per_rec"
                + "\tother_cpu_us_per_rec\tstream_alloc_b_per_rec\tgc_count\tgc_ms\toutputs\tclose_s\tlearned_s\textra\ttopic_bytes";

        double rate() {
            return records / progress.seconds();
        }

        double steadyRate() {
            return progress.steadyRate(records);
        }

        /** Process CPU per record, microseconds (all threads of the JVM, broker included; the thread groups
         *  started before the run, i.e. "other", are deltas, the app's are their whole life). */
        double cpuPerRecord() {
            return (after.processCpuNs - before.processCpuNs) / 1e3 / records;
        }

        double groupCpuPerRecord(String group) {
            long b = group.equals("other") ? before.threadCpuNs.get(group) : 0;
            return (after.threadCpuNs.get(group) - b) / 1e3 / records;
        }

        /** Bytes on the broker per input record in the run's topic {@code name} (0 if the run has none). */
        double topicBytesPerRecord(String name) {
            return (double) topicBytes.getOrDefault(name, 0L) / records;
        }

        String topicBytesText() {
            return topicBytes.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s=%.1fMB", e.getKey(),
                    e.getValue() / 1e6)).collect(Collectors.joining(" "));
        }

        double streamAllocPerRecord() {
            return (double) after.threadAllocated.get("stream") / records;
        }

        String extra() {
            if (metrics == null) {
                return "";
            }
            return String.format(Locale.ROOT, "versions=%d batches_sent=%d applied=%d stale=%d lag_mean=%.2f lag_max=%d"
                            + " mae=%.4f", metrics.latestVersion(), metrics.gradientBatchesSent(),
                    metrics.gradientBatchesApplied(), metrics.staleBatchesDropped(), metrics.meanBatchVersionLag(),
                    metrics.maxBatchVersionLag(), metrics.meanAbsoluteError());
        }

        String line() {
            return String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%.2f\t%.0f\t%.0f\t%.2f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%d\t%d\t%d"
                            + "\t%.2f\t%.2f\t%s\t%s", variant, guarantee, rep, records, progress.seconds(), rate(), steadyRate(),
                    progress.startupSeconds(), cpuPerRecord(), groupCpuPerRecord("stream"),
                    groupCpuPerRecord("global"), groupCpuPerRecord("clients"), groupCpuPerRecord("other"),
                    streamAllocPerRecord(), after.gcCount - before.gcCount, after.gcMillis - before.gcMillis, outputs,
                    closeSeconds, learnedSeconds, extra(), topicBytesText());
        }
    }

    // ---------------------------------------------------------------- report

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void report(List<RunResult> results, Options options) {
        OUT.println();
        OUT.println("| guarantee | variant | runs | records/s median | min | max | steady records/s median (10-90 %) "
                + "| min | max | start-up s median | CPU µs/record median (whole JVM) | stream-thread CPU µs/record "
                + "| stream-thread alloc B/record |");
        OUT.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String guarantee : options.guarantees) {
            for (String variant : options.variants) {
                List<RunResult> rs = results.stream().filter(r -> r.guarantee.equals(guarantee)
                        && r.variant.equals(variant)).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                OUT.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %.2f | %.0f | %.0f | %,.0f |%n",
                        guarantee, variant, rs.size(), fmt(rs, RunResult::rate, "median"), fmt(rs, RunResult::rate, "min"),
                        fmt(rs, RunResult::rate, "max"), fmt(rs, RunResult::steadyRate, "median"),
                        fmt(rs, RunResult::steadyRate, "min"), fmt(rs, RunResult::steadyRate, "max"),
                        median(values(rs, r -> r.progress.startupSeconds())), median(values(rs, RunResult::cpuPerRecord)),
                        median(values(rs, r -> r.groupCpuPerRecord("stream"))),
                        median(values(rs, RunResult::streamAllocPerRecord)));
            }
            ratio(results, guarantee, SAME_SHAPE, "same-shape pass-through");
            ratio(results, guarantee, STATELESS, "stateless pass-through");
            topicBytesTable(results, guarantee, options.variants);
        }
    }

    /** Prints "StreamGRU / {label} = X %" for one baseline variant, when both ran. */
    private static void ratio(List<RunResult> results, String guarantee, String baseline, String label) {
        List<RunResult> sg = results.stream().filter(r -> r.guarantee.equals(guarantee)
                && r.variant.equals(STREAMGRU)).toList();
        List<RunResult> pt = results.stream().filter(r -> r.guarantee.equals(guarantee)
                && r.variant.equals(baseline)).toList();
        if (sg.isEmpty() || pt.isEmpty()) {
            return;
        }
        double[] paired = new double[Math.min(sg.size(), pt.size())];
        double[] pairedSteady = new double[paired.length];
        for (int i = 0; i < paired.length; i++) {
            paired[i] = sg.get(i).rate() / pt.get(i).rate();
            pairedSteady[i] = sg.get(i).steadyRate() / pt.get(i).steadyRate();
        }
        OUT.printf(Locale.ROOT, "%n%s: StreamGRU / %s = %.1f %% (ratio of medians, whole run),"
                        + " %.1f %% (steady); per repeat %s (whole run), %s (steady); CPU per record %.1fx%n",
                guarantee, label, 100 * median(values(sg, RunResult::rate)) / median(values(pt, RunResult::rate)),
                100 * median(values(sg, RunResult::steadyRate)) / median(values(pt, RunResult::steadyRate)),
                percents(paired), percents(pairedSteady),
                median(values(sg, RunResult::cpuPerRecord)) / median(values(pt, RunResult::cpuPerRecord)));
    }

    /** Bytes on the broker by topic and variant (medians over the repeats): MB per run and bytes per input record. */
    private static void topicBytesTable(List<RunResult> results, String guarantee, List<String> variants) {
        java.util.SortedSet<String> topics = new java.util.TreeSet<>();
        results.stream().filter(r -> r.guarantee.equals(guarantee)).forEach(r -> topics.addAll(r.topicBytes.keySet()));
        if (topics.isEmpty()) {
            return;
        }
        OUT.printf(Locale.ROOT, "%n%s: topic bytes on the broker, MB per run (bytes per input record), medians%n",
                guarantee);
        OUT.println("| variant | " + String.join(" | ", topics) + " | total |");
        OUT.println("|---|" + "---|".repeat(topics.size() + 1));
        for (String variant : variants) {
            List<RunResult> rs = results.stream().filter(r -> r.guarantee.equals(guarantee)
                    && r.variant.equals(variant)).toList();
            if (rs.isEmpty()) {
                continue;
            }
            StringBuilder row = new StringBuilder("| " + variant + " |");
            for (String topic : topics) {
                double perRecord = median(values(rs, r -> r.topicBytesPerRecord(topic)));
                row.append(String.format(Locale.ROOT, " %.1f (%,.0f) |", perRecord * rs.get(0).records / 1e6, perRecord));
            }
            double total = median(values(rs, r -> r.topicBytes.values().stream().mapToLong(Long::longValue).sum()
                    / (double) r.records));
            row.append(String.format(Locale.ROOT, " %.1f (%,.0f) |", total * rs.get(0).records / 1e6, total));
            OUT.println(row);
        }
    }

    private static String percents(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.1f %%", 100 * x))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static double[] values(List<RunResult> rs, ToDoubleFunction<RunResult> f) {
        return rs.stream().mapToDouble(f).toArray();
    }

    private static String fmt(List<RunResult> rs, ToDoubleFunction<RunResult> f, String which) {
        double[] v = values(rs, f);
        double x = switch (which) {
            case "min" -> Arrays.stream(v).min().orElse(Double.NaN);
            case "max" -> Arrays.stream(v).max().orElse(Double.NaN);
            default -> median(v);
        };
        return String.format(Locale.ROOT, "%,.0f", x);
    }

    // ---------------------------------------------------------------- options

    record Options(long records, int keys, int partitions, int hidden, int features, int repeats,
                   List<String> guarantees, List<String> variants, String inputTopic, int timeoutSeconds, Path jfrDir,
                   long warmupRecords, boolean diagnose, Map<String, String> extraSettings) {

        static Options parse(String[] args) {
            HarnessArguments parsed = HarnessArguments.parse(args);
            Map<String, String> a = parsed.named();
            Map<String, String> extra = parsed.settings();
            Options o = new Options(Long.parseLong(a.getOrDefault("records", "200000")),
                    Integer.parseInt(a.getOrDefault("keys", "1000")),
                    Integer.parseInt(a.getOrDefault("partitions", "4")),
                    Integer.parseInt(a.getOrDefault("hidden", "64")),
                    // 6 features + the 2 autoregressive inputs (latest target, its last change): I = 8
                    Integer.parseInt(a.getOrDefault("features", "6")),
                    Integer.parseInt(a.getOrDefault("repeats", "3")),
                    List.of(a.getOrDefault("guarantees", StreamsConfig.EXACTLY_ONCE_V2).split(",")),
                    List.of(a.getOrDefault("variants", STREAMGRU + "," + SAME_SHAPE + "," + STATELESS).split(",")),
                    a.getOrDefault("input-topic", "e2e-input"),
                    Integer.parseInt(a.getOrDefault("timeout", "900")),
                    a.containsKey("jfr") ? Path.of(a.get("jfr")) : null,
                    Long.parseLong(a.getOrDefault("warmup-records", "20000")),
                    Boolean.parseBoolean(a.getOrDefault("diagnose", "false")), extra);
            for (String v : o.variants) {
                if (!List.of(STREAMGRU, SAME_SHAPE, STATELESS).contains(v)) {
                    throw new IllegalArgumentException("unknown variant " + v);
                }
            }
            if (o.features < 1 || o.features > BenchData.FEATURES) {
                throw new IllegalArgumentException("--features must be 1.." + BenchData.FEATURES);
            }
            a.keySet().removeAll(Set.of("records", "keys", "partitions", "hidden", "features", "repeats", "guarantees",
                    "variants", "input-topic", "timeout", "jfr", "warmup-records", "diagnose"));
            if (!a.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + a.keySet());
            }
            return o;
        }
    }

    static {
        // Quiet, readable numbers whatever the machine's locale.
        Locale.setDefault(Locale.ROOT);
    }
}
