package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.SensorReadings;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.versions.ModelPublisher;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one shared model on a real broker: the optimizer keeps up with learners working off a
 * backlog (its own Kafka Streams application), and a version published from outside (replay,
 * import, rollback) is adopted by the live optimizer and the learners, with one linear numbering.
 */
@WithKafka
class SharedModelEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

    private StreamGruConfig config(KafkaTestCluster kafka, String appId, String input, Map<String, String> extra) {
        Map<String, String> m = TestSettings.sensorApp(kafka, appId, input, stateDir);
        m.put("learner.hidden", "16");
        m.put("learner.chunk", "8");
        m.put("learner.window", "16");
        m.put("streaming.gradient.flush.ms", "500");
        m.put("streaming.model.history.interval.ms", "1000");
        m.putAll(extra);
        return TestSettings.config(m);
    }

    private static List<KeyValue<byte[], byte[]>> readings(int keys, int fromStep, int toStep) {
        return SensorReadings.json(keys, fromStep, toStep);
    }

    @Test
    void theOptimizerLearnsFromABacklogInsteadOfDroppingItAsStale(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("backlog-in", 4);
        // The default staleness bound (50 versions): a starved optimizer falls further behind than that.
        StreamGruConfig c = config(kafka, "backlog-" + System.nanoTime(), input, Map.of());
        List<KeyValue<byte[], byte[]>> backlog = readings(16, 0, 1500);
        kafka.produce(input, backlog);

        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        try (StreamGruApp app = new StreamGruApp(c, metrics)) {
            app.start();
            kafka.consume(c.output().topic(), backlog.size(), WAIT);
            // The learners are done; every batch they sent must now be handled one way or another.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (metrics.gradientBatchesApplied() + metrics.staleBatchesDropped() + metrics.rejectedBatches()
                    < metrics.gradientBatchesSent() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }

        long sent = metrics.gradientBatchesSent();
        System.out.printf("backlog of %d records: %d gradient batches sent, %d applied, %d stale, %d rejected, "
                        + "batch version lag mean %.2f max %d%n", backlog.size(), sent, metrics.gradientBatchesApplied(),
                metrics.staleBatchesDropped(), metrics.rejectedBatches(), metrics.meanBatchVersionLag(),
                metrics.maxBatchVersionLag());
        // A batch holds at least streaming.gradient.batch.samples samples; while the optimizer gathers many per step
        // (as it does on a backlog) up to 32 times that (topology.GradientBatchTarget.MAX_MULTIPLE): the backlog's
        // gradients all went out, in however many batches.
        assertThat(sent).isGreaterThan(backlog.size() / (2L * c.gradientBatchSamples() * 32));
        assertThat(metrics.rejectedBatches()).isZero();
        assertThat(metrics.gradientBatchesApplied()).as("batches applied of %d sent", sent)
                .isGreaterThanOrEqualTo(sent * 8 / 10);
    }

    @Test
    void aVersionPublishedFromOutsideIsAdoptedAndNumberingContinues(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("adopt-in", 2);
        StreamGruConfig c = config(kafka, "adopt-" + System.nanoTime(), input, Map.of());
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        List<KeyValue<byte[], byte[]>> first = readings(4, 0, 300);
        List<KeyValue<byte[], byte[]>> second = readings(4, 300, 600);
        ModelVersion published;
        List<JsonNode> out = new ArrayList<>();
        try (StreamGruApp app = new StreamGruApp(c, metrics); ModelPublisher publisher = new ModelPublisher(c)) {
            app.start();
            kafka.produce(input, first);
            for (ConsumerRecord<byte[], byte[]> r : kafka.consume(c.output().topic(), first.size(), WAIT)) {
                out.add(json.readTree(r.value()));
            }
            ModelVersion live = publisher.reader().latest().orElseThrow();
            assertThat(live.version()).isPositive();
            // Parameters far from the live ones, so where the next versions come from is unmistakable.
            double[] moved = live.parameters().clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += 0.5;
            }
            published = publisher.publishNext(new ModelVersion(0, live.configHash(), moved, live.featureStats(),
                    live.targetStats(), new double[0], 0, live.samplesTrained(), 0, "x", Double.NaN), "test-import");
            kafka.produce(input, second);
            out.clear();
            for (ConsumerRecord<byte[], byte[]> r : kafka.consume(c.output().topic(), first.size() + second.size(),
                    WAIT)) {
                out.add(json.readTree(r.value()));
            }
        }

        List<ModelVersion> versions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(c.modelTopic(), Duration.ofSeconds(2))) {
            versions.add(ModelVersionCodec.decode(r.value()));
        }
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i).version()).as("version #%d", i).isEqualTo(i + 1);
        }
        int at = (int) published.version() - 1;
        assertThat(versions.get(at).origin()).isEqualTo("test-import");
        assertThat(versions.size()).as("the optimizer went on after the published version").isGreaterThan(at + 1);
        ModelVersion next = versions.get(at + 1);
        assertThat(next.origin()).isEqualTo(ModelVersion.FROM_OPTIMIZER);
        assertThat(maxDifference(next.parameters(), published.parameters()))
                .as("one optimizer step away from the published parameters").isLessThan(0.1);
        assertThat(maxDifference(versions.get(at - 1).parameters(), published.parameters()))
                .as("the version before it").isGreaterThan(0.4);
        // The learners switched: the last forecasts carry versions from the adopted lineage.
        long lastVersion = 0;
        for (JsonNode f : out) {
            lastVersion = Math.max(lastVersion, f.get("model_version").asLong());
        }
        assertThat(lastVersion).isGreaterThanOrEqualTo(published.version());
        // The history keeps the published version, with its origin.
        ModelTopicReader reader = new ModelTopicReader(c);
        assertThat(reader.summaries()).anySatisfy(v -> {
            assertThat(v.version()).isEqualTo(published.version());
            assertThat(v.origin()).isEqualTo("test-import");
        });
        assertThat(reader.find(published.version()).orElseThrow().parameters()).containsExactly(published.parameters());
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
