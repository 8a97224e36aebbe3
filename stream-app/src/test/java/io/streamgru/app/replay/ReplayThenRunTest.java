package io.streamgru.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.LearnerTaskState;
import io.streamgru.app.topology.StoreNames;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live {@code run} after a {@code replay}: it continues from the replayed model version, reads
 * only what came after the replayed records, and starts every replayed key warm (its first
 * forecasts are much better than those of a cold start on the same records).
 */
@WithKafka
class ReplayThenRunTest {

    private static final int KEYS = 6;
    private static final int HISTORY = 400;
    private static final int LIVE = 60;
    /** The first records of each key, where a warm start shows. */
    private static final int FIRST = 10;

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aLiveRunAfterAReplayContinuesFromTheReplayedModelAndStartsWarm(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("replay-live", 3);
        kafka.produce(input, ReplayData.readings(KEYS, 0, HISTORY));
        StreamGruConfig warm = ReplayData.config(ReplayData.settings(kafka, "warm-" + System.nanoTime(), input,
                dir.resolve("warm")));
        Replay.Options options = Replay.Options.defaults(dir.resolve("checkpoints"));
        Replay.Result replayed;
        try (TopicModels models = new TopicModels(warm)) {
            replayed = new Replay(warm, options, models, InputDecoders.of(warm, null).get(), null, () -> false).run();
        }
        assertThat(replayed.completed()).isTrue();
        assertThat(replayed.warmStates()).isEqualTo(KEYS);
        ModelVersion published = new ModelTopicReader(warm).latest().orElseThrow();
        assertThat(published.version()).isEqualTo(replayed.model().version()).isEqualTo(1);
        assertThat(published.origin()).isEqualTo("replay");
        assertThat(published.parameters()).isEqualTo(replayed.model().parameters());
        // Every learner task gets the replay's typical chunk norm, so the chunk influence cap holds from its first chunk.
        Map<Integer, LearnerTaskState> tasks = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(
                StoreNames.changelogTopic(warm.appId(), StoreNames.LEARNER_STATE), Duration.ofSeconds(1))) {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(LearnerTaskState.KEY);
            tasks.put(r.partition(), LearnerTaskState.decode(r.value()));
        }
        assertThat(tasks).containsOnlyKeys(0, 1, 2);
        assertThat(tasks.values()).allSatisfy(t -> {
            assertThat(t.typicalChunkNorm()).isPositive().isEqualTo(tasks.get(0).typicalChunkNorm());
            assertThat(t.keys()).as("the replay does not know what the stores held").isEqualTo(LearnerTaskState.UNKNOWN_KEYS);
        });

        List<KeyValue<byte[], byte[]>> live = ReplayData.readings(KEYS, HISTORY, HISTORY + LIVE);
        kafka.produce(input, live);
        // The keys gauge: the warm keys, counted as the tasks opened (the replay left their number unknown).
        List<JsonNode> warmForecasts = run(kafka, warm, live.size(), KEYS);

        // The same live records, without a replay: a cold start (fresh model, empty states).
        String coldInput = kafka.newTopic("replay-cold", 3);
        kafka.produce(coldInput, live);
        StreamGruConfig cold = ReplayData.config(ReplayData.settings(kafka, "cold-" + System.nanoTime(), coldInput,
                dir.resolve("cold")));
        List<JsonNode> coldForecasts = run(kafka, cold, live.size(), KEYS);

        assertThat(warmForecasts).as("only the records after the replayed ones").hasSize(live.size());
        for (JsonNode f : warmForecasts) {
            assertThat(f.get("model_version").asLong()).as("continues from the replayed version")
                    .isGreaterThanOrEqualTo(published.version());
        }
        double warmError = meanAbsoluteErrorOfFirstRecords(warmForecasts);
        double coldError = meanAbsoluteErrorOfFirstRecords(coldForecasts);
        assertThat(firstScored(warmForecasts)).as("warm keys forecast their first live record").isEqualTo(KEYS);
        assertThat(warmError).as("first %d records per key: warm %s vs cold %s", FIRST, warmError, coldError)
                .isLessThan(0.5 * coldError);
    }

    @Test
    void aReplayThatWouldWriteTheStatesOfARunningApplicationIsRefusedBeforeItTrains(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("replay-running", 3);
        List<KeyValue<byte[], byte[]>> readings = ReplayData.readings(KEYS, 0, LIVE);
        kafka.produce(input, readings);
        StreamGruConfig running = ReplayData.config(ReplayData.settings(kafka, "running-" + System.nanoTime(), input,
                dir.resolve("running")));
        try (StreamGruApp app = new StreamGruApp(running, new StreamGruMetrics(new SimpleMeterRegistry()));
             TopicModels models = new TopicModels(running)) {
            app.start();
            kafka.consume(running.output().topic(), readings.size(), Duration.ofSeconds(90));

            Replay replay = new Replay(running, Replay.Options.defaults(dir.resolve("refused")), models,
                    InputDecoders.of(running, null).get(), null, () -> false);
            org.assertj.core.api.Assertions.assertThatThrownBy(replay::run)
                    .isInstanceOf(io.streamgru.app.config.ConfigException.class)
                    .hasMessage("the application '" + running.appId() + "' is running (its group has members): stop it"
                            + " before replay writes its keys' states, or replay with --no-warm-start");
            assertThat(dir.resolve("refused")).as("refused before training: no checkpoint").doesNotExist();
        }
    }

    /** The forecasts of {@code count} records; the instance's keys gauge must then show {@code keys}. */
    private List<JsonNode> run(KafkaTestCluster kafka, StreamGruConfig c, int count, int keys) throws Exception {
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
        List<JsonNode> out = new ArrayList<>();
        try (StreamGruApp app = new StreamGruApp(c, metrics)) {
            app.start();
            kafka.consume(c.output().topic(), count, Duration.ofSeconds(90));
            for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAllUntilIdle(c.output().topic(), Duration.ofSeconds(1))) {
                out.add(json.readTree(r.value()));
            }
            assertThat(metrics.keys()).as("keys held").isEqualTo(keys);
        }
        return out;
    }

    /** The first {@value FIRST} forecasts of every key (by event time): mean |actual − forecast| where scored. */
    private static double meanAbsoluteErrorOfFirstRecords(List<JsonNode> forecasts) {
        double sum = 0;
        int n = 0;
        for (List<JsonNode> key : byKey(forecasts).values()) {
            for (JsonNode f : key.subList(0, Math.min(FIRST, key.size()))) {
                if (f.get("error").isNumber()) {
                    sum += Math.abs(f.get("error").asDouble());
                    n++;
                }
            }
        }
        return sum / Math.max(1, n);
    }

    /** Keys whose very first live record was scored (a forecast for it existed before it arrived). */
    private static long firstScored(List<JsonNode> forecasts) {
        return byKey(forecasts).values().stream().filter(k -> k.get(0).get("error").isNumber()).count();
    }

    private static Map<String, List<JsonNode>> byKey(List<JsonNode> forecasts) {
        Map<String, List<JsonNode>> m = new HashMap<>();
        for (JsonNode f : forecasts) {
            m.computeIfAbsent(f.get("series_id").asText(), k -> new ArrayList<>()).add(f);
        }
        m.values().forEach(l -> l.sort(Comparator.comparingLong(f -> f.get("event_time").asLong())));
        return m;
    }
}
