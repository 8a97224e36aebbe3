package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.JsonRecordDecoder;
import io.streamgru.app.runtime.DeployedDefaults;
import io.streamgru.app.versions.ModelVersionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A deployment of an earlier release upgrades in place: its key states, its model version and its
 * configuration hash, as that release wrote them (src/test/resources/upgrade/release-*: three
 * sensors, 300 steps, then the state before step 300 and that release's forecasts of step 300), are
 * carried on by this release. Releases: d296908, before per-key target scaling (series state
 * format 3); 764fbd5, before prediction intervals (format 4); 2b040fd, before the linear path and
 * float32 hidden states (format 5); 49bf734, before the combination of experts (format 7). Every one
 * published its model's own forecasts, and keeps doing so: its model version says it did not combine
 * them ({@link DeployedDefaults}).
 */
class UpgradeInPlaceTest {

    /** The series state format this release writes. */
    private static final byte CURRENT_FORMAT = 8;
    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest(name = "release {0}, series state format {1}")
    @CsvSource({"d296908, 3", "764fbd5, 4", "2b040fd, 5", "49bf734, 7"})
    void keyStatesModelAndConfigHashOfAnEarlierReleaseAreCarriedOn(String release, byte format) throws IOException {
        String fixture = "/upgrade/release-" + release + "/";
        byte[] oldModel = bytes(fixture, "model-version.bin");
        assertThat(ModelVersionCodec.decode(oldModel).version()).isEqualTo(13);
        // The same settings the fixture was written with, resolved as a start of `run` does.
        Settings settings = Settings.of(Map.of(
                "app.id", "upgrade", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8", "learner.lr", "0.01"), "test");
        assertThat(StreamGruConfig.from(settings).learner().combine()).as("a new deployment combines").isTrue();
        StreamGruConfig config = DeployedDefaults.resolve(settings, c -> Optional.of(ModelVersionCodec.decode(oldModel)));
        assertThat(config.learner().combine()).as("a deployment of a release before the combination keeps "
                + "publishing its model's own forecasts").isFalse();
        String hash = config.configHash();
        assertThat(hash).as("a running deployment keeps its model only if its config hash is unchanged")
                .isEqualTo(resource(fixture, "config-hash.txt").trim());

        Continued run = continueAtStep300(fixture, config, hash, oldModel, format);
        for (JsonNode[] pair : run.forecasts()) {
            JsonNode now = pair[0];
            JsonNode before = pair[1];
            // The forecast made before the upgrade is resolved by the first record after it: nothing reset.
            assertThat(now.get("resolved_prediction").asDouble())
                    .isEqualTo(before.get("resolved_prediction").asDouble());
            assertThat(now.get("actual").asDouble()).isEqualTo(before.get("actual").asDouble());
            if (before.get("model_version").asLong() == 13) {
                // Same model, same hidden state (format 3: the key's statistics migrated from the model's
                // shared ones; formats 4 and 5: its own, read exactly): the earlier release's forecast, up to
                // the task's unsent feature statistics that release also counted.
                assertThat(now.get("model_version").asLong()).isEqualTo(13);
                assertThat(now.get("prediction").asDouble())
                        .isCloseTo(before.get("prediction").asDouble(), within(0.01));
                assertThat(now.get("model_forecast").asDouble()).isEqualTo(now.get("prediction").asDouble());
                assertThat(now.get("expert").isNull()).isTrue();
            }
        }
        assertThat(run.formats()).as("states are rewritten in the current format").containsOnly(CURRENT_FORMAT);
    }

    /**
     * The release before the combination (49bf734, key states of format 7) upgraded with
     * {@code learner.combine} set on: the keys keep their model and hidden state (the model's own
     * forecast continues as before), their weights start uniform, and the forecasts carry the expert.
     */
    @Test
    void theReleaseBeforeTheCombinationCanTurnItOnAndItsKeysStartWithUniformWeights() throws IOException {
        String fixture = "/upgrade/release-49bf734/";
        byte[] oldModel = bytes(fixture, "model-version.bin");
        Settings settings = Settings.of(Map.of(
                "app.id", "upgrade", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8", "learner.lr", "0.01",
                "learner.combine", "on"), "test");
        StreamGruConfig config = DeployedDefaults.resolve(settings, c -> Optional.of(ModelVersionCodec.decode(oldModel)));
        assertThat(config.learner().combine()).isTrue();
        String hash = config.configHash();
        assertThat(hash).isEqualTo(resource(fixture, "config-hash.txt").trim());
        Continued run = continueAtStep300(fixture, config, hash, oldModel, (byte) 7);
        assertThat(run.forecasts()).hasSize(3);
        for (JsonNode[] pair : run.forecasts()) {
            JsonNode now = pair[0];
            JsonNode before = pair[1];
            if (before.get("model_version").asLong() == 13) { // as above: same model, same hidden state
                assertThat(now.get("model_forecast").asDouble()).as("the model's own forecast continues")
                        .isCloseTo(before.get("prediction").asDouble(), within(0.01));
            }
            // The forecast resolved now was made before the upgrade (the model's own, and persistence's in
            // its slot); read back with uniform weights, the one it counts as published is their mean.
            double actual = now.get("actual").asDouble();
            double persistence = actual - before.get("persistence_error").asDouble();
            assertThat(now.get("resolved_prediction").asDouble()).isCloseTo(
                    (before.get("resolved_prediction").asDouble() + persistence) / 2, within(1e-9));
            double published = now.get("prediction").asDouble();
            assertThat(published).isBetween(Math.min(actual, now.get("model_forecast").asDouble()) - 1e-9,
                    Math.max(actual, now.get("model_forecast").asDouble()) + 1e-9);
            assertThat(now.get("expert").asText()).isIn("model", "persistence");
        }
        assertThat(run.formats()).containsOnly(CURRENT_FORMAT);
    }

    /**
     * A horizon-0 deployment of the release before the autoregressive default (commit 764fbd5,
     * src/test/resources/upgrade/release-764fbd5-horizon0: key states of format 4, its model, its
     * hash) keeps the meaning its model was trained with: the settings it ran with resolve to the
     * previous default, its hash, states and model are carried on, and its forecasts continue.
     */
    @Test
    void aHorizonZeroDeploymentTrainedUnderThePreviousDefaultKeepsItAndItsStates() throws IOException {
        Settings settings = Settings.of(Map.of(
                "app.id", "upgrade", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "temperature",
                "learner.horizon", "0",
                "learner.hidden", "8", "learner.chunk", "4", "learner.window", "8", "learner.lr", "0.01"), "test");
        String previousHash = resource(H0, "config-hash.txt").trim();
        byte[] oldModel = bytes(H0, "model-version.bin");
        assertThat(StreamGruConfig.from(settings).configHash()).as("this release's default means another model")
                .isNotEqualTo(previousHash);

        StreamGruConfig config = DeployedDefaults.resolve(settings, c -> Optional.of(ModelVersionCodec.decode(oldModel)));

        assertThat(config.learner().autoregressive()).isFalse();
        String hash = config.configHash();
        assertThat(hash).isEqualTo(previousHash);
        Continued run = continueAtStep300(H0, config, hash, oldModel, (byte) 4);
        assertThat(run.forecasts()).hasSize(3);
        for (JsonNode[] pair : run.forecasts()) {
            JsonNode now = pair[0];
            JsonNode before = pair[1];
            assertThat(now.get("config_hash").asText()).isEqualTo(previousHash);
            assertThat(now.get("model_version").asLong()).isEqualTo(before.get("model_version").asLong());
            // Same model, same hidden state and statistics (the feature statistics a task had not yet
            // sent to the optimizer are not in the model version: a restart loses them, as before).
            assertThat(now.get("prediction").asDouble())
                    .isCloseTo(before.get("prediction").asDouble(), within(0.01));
            assertThat(now.get("actual").asDouble()).isEqualTo(before.get("actual").asDouble());
        }
        assertThat(run.formats()).as("states are rewritten in the current format").containsOnly(CURRENT_FORMAT);
    }

    /**
     * What a release's deployment did at step 300 once upgraded: each forecast of this release beside
     * that release's forecast of the same key ({@code [now, before]}), and the format each key's state
     * is stored in afterwards.
     */
    private record Continued(List<JsonNode[]> forecasts, List<Byte> formats) {
    }

    /**
     * Runs this release's topology over the fixture in {@code dir} (its model version, then its key
     * states, checked to be of {@code storedFormat}) and step 300's readings.
     */
    private Continued continueAtStep300(String dir, StreamGruConfig config, String hash, byte[] oldModel,
                                        byte storedFormat) throws IOException {
        var fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "upgrade");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamGruTopology.build(config, hash, 1,
                () -> new JsonRecordDecoder(fields), JsonForecastEncoder::new, new StreamGruMetrics(new SimpleMeterRegistry())), props)) {
            ByteArraySerializer ser = new ByteArraySerializer();
            driver.createInputTopic(config.modelTopic(), ser, ser)
                    .pipeInput(config.modelName().getBytes(StandardCharsets.UTF_8), oldModel);
            for (int k = 0; k < 3; k++) {
                byte[] old = bytes(dir, "sensor-" + k + ".state");
                assertThat(old[0]).as("the fixture holds that release's format").isEqualTo(storedFormat);
                // With a record time, as the store's changelog needs (the store is timestamped since learner.key.ttl).
                driver.getTimestampedKeyValueStore(StoreNames.KEY_STATE).put("sensor-" + k, ValueAndTimestamp.make(old, 0L));
            }
            var input = driver.createInputTopic("sensors", ser, ser);
            var forecasts = driver.createOutputTopic(config.output().topic(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            int t = 300; // the step the fixture's forecasts are of, with the generator's values
            for (int k = 0; k < 3; k++) {
                input.pipeInput(("sensor-" + k).getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                        "{\"load\":%s,\"temperature\":%s}", Math.sin(0.2 * t + k), 20 + 3 * Math.sin(0.2 * (t - 1) + k))
                        .getBytes(StandardCharsets.UTF_8));
            }
            Map<String, JsonNode> previous = new HashMap<>();
            for (String line : resource(dir, "forecasts-of-step-300.jsonl").split("\n")) {
                JsonNode f = json.readTree(line);
                previous.put(f.get("series_id").asText(), f);
            }
            List<JsonNode[]> pairs = new ArrayList<>();
            for (var record : forecasts.readRecordsToList()) {
                JsonNode now = json.readTree(record.value());
                pairs.add(new JsonNode[] {now, previous.get(now.get("series_id").asText())});
            }
            KeyValueStore<String, byte[]> keyState = driver.getKeyValueStore(StoreNames.KEY_STATE);
            List<Byte> formats = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                formats.add(keyState.get("sensor-" + k)[0]);
            }
            return new Continued(pairs, formats);
        }
    }

    private static final String H0 = "/upgrade/release-764fbd5-horizon0/";

    private String resource(String dir, String name) throws IOException {
        return new String(bytes(dir, name), StandardCharsets.UTF_8);
    }

    private byte[] bytes(String dir, String name) throws IOException {
        try (InputStream in = UpgradeInPlaceTest.class.getResourceAsStream(dir + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
