package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import io.streamgru.model.drift.DriftPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Drift detection through the topology (learners and optimizer on Kafka Streams' test driver): a
 * level shift in two sensors' readings sets off their detectors, the forecasts resolving the
 * shifted readings say so ({@code drift}), the metric counts them, the gradient batches carry the
 * count to the optimizer, and the optimizer's drift policy acts on it and keeps its state.
 *
 * <p>The readings: {@code temperature = 20 + 2 load + 0.5 ε} (load and ε standard normal), with no
 * autoregressive input, so the model must learn the relation and cannot absorb a jump of the level
 * by copying the last reading; from step {@value #SHIFT_AT} on, +3.
 */
class DriftTopologyTest {

    private static final int SHIFT_AT = 1_500;
    private static final int STEPS = SHIFT_AT + 400;
    private static final int KEYS = 2;

    private final ObjectMapper json = new ObjectMapper();

    /** What one run produced. */
    private record Run(int[] driftsBefore, int[] firstDriftAfter, int driftForecasts, long metricDetections,
                       long batchDetections, long policyActions, double[] policyState) {
    }

    private Run run(String policy) throws IOException {
        Map<String, String> m = new HashMap<>(Map.of(
                "app.id", "drift", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8", "learner.autoregressive", "false"));
        m.put("learner.drift.policy", policy);
        m.put("streaming.gradient.batch.samples", "0"); // one batch per learner window, as calibrated
        StreamGruConfig config = StreamGruConfig.from(Settings.of(m, "test"));
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        String hash = config.configHash();
        var fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "drift");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamGruTopology.build(config, hash, 1,
                () -> new JsonRecordDecoder(fields), JsonForecastEncoder::new, metrics), props)) {
            ByteArraySerializer ser = new ByteArraySerializer();
            ByteArrayDeserializer de = new ByteArrayDeserializer();
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic("sensors", ser, ser);
            TestOutputTopic<byte[], byte[]> forecasts = driver.createOutputTopic(config.output().topic(), de, de);
            TestOutputTopic<byte[], byte[]> gradients = driver.createOutputTopic(config.gradientsTopic(), de, de);
            SplittableRandom random = new SplittableRandom(7);
            int[] before = new int[KEYS];
            int[] firstAfter = new int[KEYS];
            java.util.Arrays.fill(firstAfter, -1);
            int driftForecasts = 0;
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < KEYS; k++) {
                    double load = random.nextGaussian();
                    double temperature = 20 + 2 * load + 0.5 * random.nextGaussian() + (t >= SHIFT_AT ? 3 : 0);
                    input.pipeInput(("sensor-" + k).getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                            "{\"load\":%.6f,\"temperature\":%.6f}", load, temperature).getBytes(StandardCharsets.UTF_8));
                    TestRecord<byte[], byte[]> out = forecasts.readRecord();
                    JsonNode f = json.readTree(out.value());
                    assertThat(f.get("series_id").asText()).isEqualTo("sensor-" + k);
                    if (f.get("drift").asBoolean()) {
                        driftForecasts++;
                        if (t < SHIFT_AT) {
                            before[k]++;
                        } else if (firstAfter[k] < 0) {
                            firstAfter[k] = t - SHIFT_AT;
                        }
                    }
                }
            }
            long batchDetections = 0;
            for (TestRecord<byte[], byte[]> g : gradients.readRecordsToList()) {
                batchDetections += GradientBatchCodec.decode(g.value()).driftDetections();
            }
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.OPTIMIZER_STATE);
            byte[] saved = store.get(OptimizerProcessor.policyKey(config.modelName()));
            double[] state = saved == null ? null : DriftPolicyCodec.decode(saved);
            return new Run(before, firstAfter, driftForecasts, metrics.driftDetections(), batchDetections,
                    metrics.driftPolicyActions(), state);
        }
    }

    @Test
    void aLevelShiftMarksForecastsAsDriftingAndIsCountedAndReported() throws IOException {
        Run r = run("none");
        System.out.printf(Locale.ROOT, "drift flags before the shift %s, first after it (records) %s, %d in all, "
                + "%d reported in gradient batches%n", java.util.Arrays.toString(r.driftsBefore()),
                java.util.Arrays.toString(r.firstDriftAfter()), r.driftForecasts(), r.batchDetections());

        assertThat(r.driftsBefore()).as("drift flags before the shift, per key").containsOnly(0);
        assertThat(java.util.Arrays.stream(r.firstDriftAfter()).boxed().toList())
                .as("records from the shift to the first drift flag, per key").allSatisfy(d -> assertThat(d).isBetween(0, 200));
        assertThat(r.metricDetections()).isEqualTo(r.driftForecasts());
        // Every detection goes with the task's next gradient batch; the last window may not be sent yet.
        assertThat(r.batchDetections()).isPositive().isLessThanOrEqualTo(r.metricDetections());
        assertThat(r.policyActions()).isZero();
        assertThat(r.policyState()).as("policy none keeps no state").isNull();
    }

    @Test
    void theOptimizersPolicyHearsTheDriftsActsOnceAndKeepsItsState() throws IOException {
        Run r = run("boost:3:1000000"); // a boost that outlasts the run: it can act only once

        assertThat(java.util.Arrays.stream(r.firstDriftAfter()).boxed().toList()).allSatisfy(d -> assertThat(d).isBetween(0, 200));
        assertThat(r.policyActions()).isEqualTo(1);
        assertThat(r.policyState()).isNotNull();
        DriftPolicy restored = DriftPolicy.parse("boost:3:1000000");
        restored.importState(r.policyState());
        assertThat(restored.actedOn()).isEqualTo(1);
        assertThat(restored.drifts()).isBetween(1L, r.batchDetections());
        assertThat(restored.boosting((long) r.policyState()[1])).as("boosting from the step it started").isTrue();
    }
}
