package io.streamgru.bench.e2e;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.embedded.EmbeddedKafka;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.topics.TopicProvisioner;
import io.streamgru.app.topology.StreamGruMetrics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Latency from produce to committed forecast (docs/benchmarks-e2e.md): the real {@link StreamGruApp}
 * on an in-JVM broker, fed by a paced producer at {@code --rate} records/s (the same JSON records
 * and keys as {@link EndToEndThroughput}), while a {@code read_committed} consumer takes, for every
 * forecast, its arrival time minus its record timestamp, which the app copies from the input record
 * and the producer set to the wall-clock time of {@code send} (one JVM, one clock). The first
 * {@code --warmup-seconds} are not counted; then {@code --seconds} of input are, and every one of
 * those records must get its forecast. Prints the percentiles, the app's counters and the load.
 *
 * <p>{@code bench/e2e-latency.sh [--rate 1000] [--seconds 120] [--warmup-seconds 30] [--set key=value]…}
 */
public final class EndToEndLatency {

    private static final PrintStream OUT = System.out;

    private EndToEndLatency() {
    }

    public static void main(String[] args) throws Exception {
        HarnessArguments parsed = HarnessArguments.parse(args);
        Map<String, String> a = parsed.named();
        Map<String, String> extra = parsed.settings();
        int rate = Integer.parseInt(a.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "120"));
        int warmupSeconds = Integer.parseInt(a.getOrDefault("warmup-seconds", "30"));
        int keys = Integer.parseInt(a.getOrDefault("keys", "1000"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "4"));
        int features = Integer.parseInt(a.getOrDefault("features", "6"));
        String hidden = a.getOrDefault("hidden", "64");
        String guarantee = a.getOrDefault("guarantee", "exactly_once_v2");
        OUT.printf(Locale.ROOT, "# StreamGRU produce-to-committed-forecast latency: %d records/s, %d s warm-up, %d s"
                + " measured, %d keys, %d partitions, H=%s, %d features, %s, settings %s%n", rate, warmupSeconds,
                seconds, keys, partitions, hidden, features, guarantee, extra);
        long total = (long) rate * (warmupSeconds + seconds);
        long firstCounted = (long) rate * warmupSeconds;
        Path workDir = Files.createTempDirectory("streamgru-e2elatency-");
        try (EmbeddedKafka kafka = new EmbeddedKafka();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String input = "latency-input";
            kafka.createTopic(input, partitions, Map.of());
            Map<String, String> m = new LinkedHashMap<>();
            m.put("app.id", "e2e-latency");
            m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            m.put("kafka.state.dir", workDir.toString());
            m.put("input.topics", input);
            m.put("input.features", String.join(",", IntStream.range(0, features).mapToObj(BenchData::feature).toList()));
            m.put("input.target", BenchData.TARGET);
            m.put("learner.hidden", hidden);
            m.put("streaming.processing.guarantee", guarantee);
            m.putAll(extra);
            StreamGruConfig config = StreamGruConfig.from(Settings.of(m, "e2e latency benchmark"));
            TopicProvisioner.provision(admin, config);
            StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
            long[] latencies = new long[(int) (total - firstCounted)];
            AtomicLong counted = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            BenchData data = new BenchData(keys, total);
            try (StreamGruApp app = new StreamGruApp(config, metrics)) {
                app.start();
                awaitRunning(app);
                AtomicLong countFromMs = new AtomicLong(Long.MAX_VALUE);
                Thread reader = new Thread(() -> read(kafka, config.output().topic(), countFromMs, latencies,
                        counted, failure), "latency-reader");
                reader.setDaemon(true);
                reader.start();
                produce(kafka, input, data, keys, rate, total, firstCounted, countFromMs);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (counted.get() < latencies.length && failure.get() == null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                reader.interrupt();
                reader.join(5_000);
                if (failure.get() != null) {
                    throw new IllegalStateException("reading forecasts failed", failure.get());
                }
                report(latencies, (int) counted.get(), metrics);
                reportTopicBytes(admin, config.appId(), total);
                app.close(Duration.ofSeconds(30));
            }
        } finally {
            Utils.delete(workDir.toFile());
        }
    }

    private static void awaitRunning(StreamGruApp app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (app.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("app not running after 60 s: " + app.state());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Record i goes out at start + i / rate; its timestamp is the wall clock at send. The first
     * counted record waits for the next millisecond, so every counted record's timestamp is at
     * least {@code countFromMs} and every warm-up record's is below it.
     */
    private static void produce(EmbeddedKafka kafka, String topic, BenchData data, int keys, int rate, long total,
                                long firstCounted, AtomicLong countFromMs) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / rate;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int k = (int) (i % keys);
                long now = System.currentTimeMillis();
                if (i == firstCounted) {
                    long last = now;
                    while ((now = System.currentTimeMillis()) == last) {
                        Thread.onSpinWait();
                    }
                    countFromMs.set(now);
                }
                producer.send(new ProducerRecord<>(topic, null, now, BenchData.key(k).getBytes(StandardCharsets.UTF_8),
                        data.json(i)), (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                if (i % (rate * 10L) == 0) {
                    OUT.printf(Locale.ROOT, "# produced %,d of %,d%n", i, total);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing failed", failure.get());
        }
    }

    /**
     * Arrival minus record timestamp of each committed forecast whose input was produced after the
     * warm-up (its timestamp is at least {@code countFromMs}).
     */
    private static void read(EmbeddedKafka kafka, String topic, AtomicLong countFromMs, long[] latencies,
                             AtomicLong counted, AtomicReference<Throwable> failure) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            while (!Thread.currentThread().isInterrupted() && counted.get() < latencies.length) {
                var records = consumer.poll(Duration.ofMillis(10));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.timestamp() < countFromMs.get()) {
                        continue; // warm-up input
                    }
                    int n = (int) counted.getAndIncrement();
                    if (n < latencies.length) {
                        latencies[n] = now - r.timestamp();
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static void report(long[] latencies, int counted, StreamGruMetrics metrics) {
        int n = Math.min(counted, latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
        OUT.printf(Locale.ROOT, "forecasts counted %,d of %,d expected%s%n", n, latencies.length,
                n < latencies.length ? " (MISSING " + (latencies.length - n) + ")" : "");
        if (n > 0) {
            OUT.printf(Locale.ROOT, "latency ms: p50 %d  p90 %d  p99 %d  p99.9 %d  max %d  mean %.1f%n",
                    percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 99.9),
                    sorted[n - 1], mean);
        }
        OUT.printf(Locale.ROOT, "app: versions %d, batches sent %d, applied %d, stale dropped %d, batch version lag"
                        + " mean %.2f max %d, MAE %.4f%n", metrics.latestVersion(), metrics.gradientBatchesSent(),
                metrics.gradientBatchesApplied(), metrics.staleBatchesDropped(), metrics.meanBatchVersionLag(),
                metrics.maxBatchVersionLag(), metrics.meanAbsoluteError());
    }

    /** Bytes each of the app's topics holds on the broker, per input record (nothing is compacted yet). */
    private static void reportTopicBytes(Admin admin, String appId, long records) throws Exception {
        Map<String, Long> bytes = new java.util.TreeMap<>();
        admin.describeLogDirs(List.of(1)).allDescriptions().get().values().forEach(dirs -> dirs.values()
                .forEach(dir -> dir.replicaInfos().forEach((tp, info) -> {
                    if (tp.topic().startsWith(appId + "-")) {
                        bytes.merge(tp.topic().substring(appId.length() + 1), info.size(), Long::sum);
                    }
                })));
        StringBuilder line = new StringBuilder("bytes per input record:");
        bytes.forEach((topic, b) -> line.append(String.format(Locale.ROOT, " %s=%.0f", topic, (double) b / records)));
        OUT.println(line);
    }

    private static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
