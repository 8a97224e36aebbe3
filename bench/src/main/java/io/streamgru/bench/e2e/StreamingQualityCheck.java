package io.streamgru.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.embedded.EmbeddedKafka;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Does the streaming application learn as well as the same learner run sequentially, through a
 * drift? The streaming app's model lags: learner tasks send gradient batches, the optimizer steps
 * on their sums and publishes versions the tasks pick up later, while the sequential learner
 * ({@code evaluate}'s, {@link OnlineForecaster}) steps every {@code learner.window} samples on the
 * current model. This runs both on the same records and compares their forecast errors.
 *
 * <p>The stream: {@code --keys} sensors, {@code --steps} readings each, interleaved (record i is key
 * i mod keys, step i / keys), six features (noisy cycles) and a target made of a slow cycle and the
 * features; at {@code --shift} of the steps the target's level rises by 2 and its relation to the
 * features changes sign (a concept drift persistence does not copy). The records go to a topic of
 * an in-JVM broker at {@code --rate} records/s (0: all at once, a backlog), a {@code streamgru run}
 * application (the default learner settings; {@code --set key=value} changes one) forecasts them,
 * and the forecasts are read back. The sequential learner observes the same records in the same
 * order. Reported for both and for persistence: MAE over the 5 % of steps before the shift, the 5 %
 * after it, the 15 % after those, and the last 10 %, on the records both learners scored.
 *
 * <p>Usage: {@code bench/run-program.sh io.streamgru.bench.e2e.StreamingQualityCheck [--keys 20]
 * [--steps 4000] [--shift 0.6] [--partitions 4] [--rate 4000] [--set key=value ...]}
 */
public final class StreamingQualityCheck {

    private static final int FEATURES = 6;
    private static final String TARGET = "temperature";

    private final int keys;
    private final int steps;
    private final int shiftStep;
    private final long epochMs;
    private final double[][] rows; // record i: FEATURES features, then the target

    /** One stretch of steps and the three forecasters' MAE over the records both learners scored there. */
    record Window(String name, int from, int to, int scored, double streaming, double sequential,
                  double persistence) {
    }

    StreamingQualityCheck(int keys, int steps, double shift) {
        this.keys = keys;
        this.steps = steps;
        this.shiftStep = (int) Math.round(shift * steps);
        this.epochMs = (System.currentTimeMillis() / 60_000L - steps - 1) * 60_000L;
        SplittableRandom random = new SplittableRandom(11);
        this.rows = new double[keys * steps][];
        for (int i = 0; i < rows.length; i++) {
            int k = i % keys;
            int s = i / keys;
            double[] v = new double[FEATURES + 1];
            boolean after = s >= shiftStep;
            double target = (after ? 22 : 20) + 2 * Math.sin(0.05 * s + k);
            for (int j = 0; j < FEATURES; j++) {
                v[j] = Math.sin(0.1 * s + 0.7 * k + j) + 0.1 * random.nextDouble();
                target += (after ? -0.6 : 0.6) * v[j] / (j + 1);
            }
            v[FEATURES] = target + 0.05 * random.nextGaussian();
            rows[i] = v;
        }
    }

    public static void main(String[] args) throws Exception {
        int keys = 20;
        int steps = 4000;
        double shift = 0.6;
        int partitions = 4;
        int rate = 4000;
        Map<String, String> extra = new LinkedHashMap<>();
        for (int a = 0; a < args.length; a += 2) {
            String value = args[a + 1];
            switch (args[a]) {
                case "--keys" -> keys = Integer.parseInt(value);
                case "--steps" -> steps = Integer.parseInt(value);
                case "--shift" -> shift = Double.parseDouble(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--set" -> extra.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        print(new StreamingQualityCheck(keys, steps, shift).run(partitions, rate, extra));
    }

    /** Runs the streaming app and the sequential learner on the records, and compares them per {@link Window}. */
    List<Window> run(int partitions, int rate, Map<String, String> extra) throws Exception {
        Path work = Files.createTempDirectory("streamgru-quality");
        try (EmbeddedKafka kafka = new EmbeddedKafka()) { // closing it deletes the broker's data
            String input = "quality-input";
            kafka.createTopic(input, partitions, Map.of());
            Map<String, String> m = new LinkedHashMap<>();
            m.put("app.id", "quality-" + System.currentTimeMillis() % 1_000_000);
            m.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            m.put("kafka.state.dir", work.resolve("state").toString());
            m.put("input.topics", input);
            m.put("input.features", String.join(",", featureNames()));
            m.put("input.target", TARGET);
            m.putAll(extra);
            StreamGruConfig config = StreamGruConfig.from(Settings.of(m, "quality check"));
            System.out.printf(Locale.ROOT, "# %d keys x %d steps, drift at step %d, %d partitions, %s records/s; %s%n",
                    keys, steps, shiftStep, partitions, rate == 0 ? "all at once" : Integer.toString(rate), extra);
            System.out.println("# learner: " + config.learner());

            StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
            double[] stream;
            long started = System.nanoTime();
            try (StreamGruApp app = new StreamGruApp(config, metrics)) {
                app.start();
                produce(kafka, input, rate);
                stream = forecasts(kafka, config.output().topic(), partitions);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "# streaming: %.1f s, %d versions, %d batches applied, %d stale, "
                            + "batch version lag mean %.2f max %d, records on an older version %d (mean lag %.2f)%n",
                    seconds, metrics.latestVersion(), metrics.gradientBatchesApplied(), metrics.staleBatchesDropped(),
                    metrics.meanBatchVersionLag(), metrics.maxBatchVersionLag(), metrics.recordsOnOldVersion(),
                    metrics.meanRecordVersionLag());
            double[] sequential = sequential(config);
            return windows(stream, sequential);
        } finally {
            Utils.delete(work.toFile()); // the app's state directory
        }
    }

    private static List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            names.add("f" + j);
        }
        return names;
    }

    private void produce(EmbeddedKafka kafka, String topic, int rate) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < rows.length; i++) {
                if (rate > 0 && i % 100 == 0) {
                    long due = t0 + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                StringBuilder json = new StringBuilder(200).append('{');
                for (int j = 0; j < FEATURES; j++) {
                    json.append("\"f").append(j).append("\":").append(rows[i][j]).append(',');
                }
                json.append('"').append(TARGET).append("\":").append(rows[i][FEATURES]).append('}');
                producer.send(new ProducerRecord<>(topic, null, epochMs + (i / keys) * 60_000L,
                        key(i % keys).getBytes(StandardCharsets.UTF_8), json.toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static String key(int k) {
        return String.format(Locale.ROOT, "sensor-%03d", k);
    }

    /** The streaming app's resolved forecast of each record (NaN: none), read back from the forecasts topic. */
    private double[] forecasts(EmbeddedKafka kafka, String topic, int partitions) throws Exception {
        double[] resolved = new double[rows.length];
        java.util.Arrays.fill(resolved, Double.NaN);
        Map<String, Integer> keyIndex = new LinkedHashMap<>();
        for (int k = 0; k < keys; k++) {
            keyIndex.put(key(k), k);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (seen < rows.length) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen + " of " + rows.length + " forecasts after 10 min");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode f = json.readTree(r.value());
                    int k = keyIndex.get(f.get("series_id").asText());
                    int step = (int) ((f.get("event_time").asLong() - epochMs) / 60_000L);
                    JsonNode value = f.get("resolved_prediction");
                    resolved[step * keys + k] = value.isNumber() ? value.asDouble() : Double.NaN;
                    seen++;
                }
            }
        }
        return resolved;
    }

    /** The sequential learner's resolved forecast of each record, observing them in the produced order. */
    private double[] sequential(StreamGruConfig config) {
        OnlineForecaster learner = new OnlineForecaster(config.learner());
        SeriesState[] states = new SeriesState[keys];
        double[] resolved = new double[rows.length];
        double[] features = new double[FEATURES];
        for (int i = 0; i < rows.length; i++) {
            int k = i % keys;
            if (states[k] == null) {
                states[k] = learner.newSeries();
            }
            System.arraycopy(rows[i], 0, features, 0, FEATURES);
            learner.observe(states[k], features, rows[i][FEATURES]);
            resolved[i] = states[k].resolvedForecast();
        }
        return resolved;
    }

    private List<Window> windows(double[] stream, double[] sequential) {
        int w = steps / 20;
        int[][] bounds = {{shiftStep - w, shiftStep}, {shiftStep, shiftStep + w}, {shiftStep + w, shiftStep + 4 * w},
                {steps - steps / 10, steps}};
        String[] names = {"5 % before the drift", "5 % after it", "the 15 % after that", "last 10 %"};
        List<Window> windows = new ArrayList<>();
        for (int x = 0; x < bounds.length; x++) {
            double s = 0;
            double q = 0;
            double p = 0;
            int n = 0;
            for (int step = Math.max(1, bounds[x][0]); step < bounds[x][1]; step++) {
                for (int k = 0; k < keys; k++) {
                    int i = step * keys + k;
                    if (Double.isNaN(stream[i]) || Double.isNaN(sequential[i])) {
                        continue;
                    }
                    double actual = rows[i][FEATURES];
                    s += Math.abs(actual - stream[i]);
                    q += Math.abs(actual - sequential[i]);
                    p += Math.abs(actual - rows[i - keys][FEATURES]);
                    n++;
                }
            }
            windows.add(new Window(names[x], bounds[x][0], bounds[x][1], n, s / n, q / n, p / n));
        }
        return windows;
    }

    private static void print(List<Window> windows) {
        System.out.println();
        System.out.println("| steps | records scored | streaming MAE | sequential MAE | streaming / sequential "
                + "| persistence MAE | streaming / persistence |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Window w : windows) {
            System.out.printf(Locale.ROOT, "| %s (%d-%d) | %,d | %.4f | %.4f | %.2f | %.4f | %.2f |%n", w.name(),
                    w.from(), w.to(), w.scored(), w.streaming(), w.sequential(), w.streaming() / w.sequential(),
                    w.persistence(), w.streaming() / w.persistence());
        }
    }
}
