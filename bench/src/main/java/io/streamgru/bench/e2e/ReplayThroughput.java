package io.streamgru.bench.e2e;

import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.embedded.EmbeddedKafka;
import io.streamgru.app.evaluate.TopicDataset;
import io.streamgru.app.history.HistoryRange;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.replay.PublishedModels;
import io.streamgru.app.replay.Replay;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.PrequentialEvaluation;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replay throughput against model-core's training rate on the same data, side by side in one JVM
 * (bench/replay-throughput.sh; results in docs/BENCHMARKS.md). Produces {@code --records} JSON
 * records ({@code --keys} keys, {@code --partitions} partitions) into an in-JVM broker, reads them
 * once in the replay's event-time order into memory, then alternates (ABBA, {@code --repeats}
 * rounds): model-core's {@link OnlineForecaster} over the in-memory rows (the learning loop alone,
 * as {@code evaluate} times it) and a full {@link Replay} over the topic (reading, decoding,
 * merging, training; no publishing, warm start or checkpoints). Both step the optimizer every
 * {@code learner.window} samples (streaming.optimizer.samples = the window), so they do the same
 * arithmetic. Prints each run's records/s and CPU time per record (model-core's thread; the
 * replay's training thread, whose rate bounds the replay's when the reader thread has a core of its
 * own, and the whole process: reader thread, broker, GC), the medians and their ratios.
 */
public final class ReplayThroughput {

    private static final PrintStream OUT = System.out;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("--records", "200000", "--keys", "500", "--partitions", "4",
                "--hidden", "32", "--features", "8", "--window", "16", "--repeats", "3"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            }
            o.put(args[i], args[i + 1]);
        }
        long records = Long.parseLong(o.get("--records"));
        int keys = Integer.parseInt(o.get("--keys"));
        int partitions = Integer.parseInt(o.get("--partitions"));
        int features = Integer.parseInt(o.get("--features"));
        int repeats = Integer.parseInt(o.get("--repeats"));
        OUT.println("# StreamGRU replay throughput vs model-core training, options " + o);
        OUT.printf(Locale.ROOT, "# %s, %d cores, java %s%n", System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Path checkpoints = Files.createTempDirectory("streamgru-replaybench-");
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            String topic = "replay-bench";
            kafka.createTopic(topic, partitions, Map.of());
            produce(kafka, topic, records, keys);
            Map<String, String> s = new HashMap<>();
            s.put("app.id", "replay-bench");
            s.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            s.put("input.topics", topic);
            List<String> names = new ArrayList<>();
            for (int j = 0; j < features; j++) {
                names.add(BenchData.feature(j));
            }
            s.put("input.features", String.join(",", names));
            s.put("input.target", BenchData.TARGET);
            s.put("learner.hidden", o.get("--hidden"));
            s.put("learner.window", o.get("--window"));
            s.put("streaming.optimizer.samples", o.get("--window"));
            StreamGruConfig config = StreamGruConfig.from(Settings.of(s, "bench"));
            long t0 = System.nanoTime();
            TopicDataset.Read rows = TopicDataset.read(config, HistoryRange.ALL, InputDecoders.of(config, null).get(),
                    null);
            OUT.printf(Locale.ROOT, "# %,d rows read into memory in %.1f s%n", rows.dataset().data().rows(),
                    (System.nanoTime() - t0) / 1e9);
            List<Double> core = new ArrayList<>();
            List<Double> replay = new ArrayList<>();
            List<Double> coreCpu = new ArrayList<>();
            List<Double> replayThreadCpu = new ArrayList<>();
            List<Double> replayProcessCpu = new ArrayList<>();
            double[] coreParameters = null;
            double[] replayParameters = null;
            // A warm-up of each first (JIT), not reported.
            for (int r = -1; r < 2 * repeats; r++) {
                boolean coreFirst = r < 0 || r % 4 == 0 || r % 4 == 3; // ABBA
                for (int v = 0; v < 2; v++) {
                    boolean isCore = (v == 0) == coreFirst;
                    if (isCore && (r < 0 || core.size() < repeats)) {
                        OnlineForecaster f = new OnlineForecaster(config.learner());
                        long cpu = THREADS.getCurrentThreadCpuTime();
                        PrequentialEvaluation.Result result = PrequentialEvaluation.run(f, rows.dataset().data());
                        double us = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / rows.dataset().data().rows();
                        if (r >= 0) {
                            core.add(result.recordsPerSecond());
                            coreCpu.add(us);
                            OUT.printf(Locale.ROOT, "model-core\t%,.0f records/s\t%.2f µs CPU/record%n",
                                    result.recordsPerSecond(), us);
                        }
                        coreParameters = f.model().parameters();
                    } else if (!isCore && (r < 0 || replay.size() < repeats)) {
                        Replay.Options options = new Replay.Options(HistoryRange.ALL, checkpoints, 0, null, true, 0,
                                Replay.DEFAULT_WARM_STEPS, true, false, false, false, null);
                        long cpu = THREADS.getCurrentThreadCpuTime();
                        long processCpu = PROCESS.getProcessCpuTime();
                        Replay.Result result = new Replay(config, options, NO_MODELS,
                                InputDecoders.of(config, null).get(), null, () -> false).run();
                        double us = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / result.records();
                        double processUs = (PROCESS.getProcessCpuTime() - processCpu) / 1e3 / result.records();
                        if (r >= 0) {
                            replay.add(result.recordsPerSecond());
                            replayThreadCpu.add(us);
                            replayProcessCpu.add(processUs);
                            OUT.printf(Locale.ROOT, "replay\t%,.0f records/s\t%.2f µs CPU/record in the training "
                                    + "thread, %.2f in the process (reader, broker)%n", result.recordsPerSecond(), us,
                                    processUs);
                        }
                        replayParameters = result.model().parameters();
                    }
                }
            }
            double coreMedian = median(core);
            double replayMedian = median(replay);
            OUT.printf(Locale.ROOT, "| model-core (in memory) | %,.0f records/s |%n", coreMedian);
            OUT.printf(Locale.ROOT, "| replay (topic) | %,.0f records/s |%n", replayMedian);
            OUT.printf(Locale.ROOT, "| ratio | %.0f %% |%n", 100 * replayMedian / coreMedian);
            double coreUs = median(coreCpu);
            double threadUs = median(replayThreadCpu);
            OUT.printf(Locale.ROOT, "| CPU µs/record: model-core | %.2f |%n", coreUs);
            OUT.printf(Locale.ROOT, "| CPU µs/record: replay training thread (its critical path) | %.2f |%n", threadUs);
            OUT.printf(Locale.ROOT, "| CPU µs/record: replay process (+ reader thread, broker) | %.2f |%n",
                    median(replayProcessCpu));
            OUT.printf(Locale.ROOT, "| ratio of CPU rates, training thread vs model-core | %.0f %% |%n",
                    100 * coreUs / threadUs);
            OUT.println("# same parameters at the end (same arithmetic): "
                    + Arrays.equals(coreParameters, replayParameters));
        } finally {
            org.apache.kafka.common.utils.Utils.delete(checkpoints.toFile());
        }
        System.exit(0); // Kafka's non-daemon leftovers must not keep the JVM up
    }

    private static final PublishedModels NO_MODELS = new PublishedModels() {
        @Override
        public Optional<ModelVersion> latest() {
            return Optional.empty();
        }

        @Override
        public ModelVersion publishNext(ModelVersion contents) {
            return contents;
        }

        @Override
        public void close() {
        }
    };

    private static void produce(EmbeddedKafka kafka, String topic, long records, int keys) {
        BenchData data = new BenchData(keys, records);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < records; i++) {
                int k = (int) (i % keys);
                producer.send(new ProducerRecord<>(topic, null, data.timestamp(i / keys),
                        BenchData.key(k).getBytes(StandardCharsets.UTF_8), data.json(i)));
            }
            producer.flush();
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
