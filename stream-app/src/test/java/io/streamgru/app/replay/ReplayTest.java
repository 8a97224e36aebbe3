package io.streamgru.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.versions.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamgru replay} on a real broker: deterministic, and a resumed replay ends where an uninterrupted one does. */
@WithKafka
class ReplayTest {

    @TempDir
    Path dir;

    private Replay.Result replay(StreamGruConfig config, Replay.Options options, PublishedModels models)
            throws Exception {
        return new Replay(config, options, models, InputDecoders.of(config, null).get(), null, () -> false).run();
    }

    /** Train only: no hand-over to a live application. */
    private Replay.Options trainOnly(String checkpoints) {
        Replay.Options d = Replay.Options.defaults(dir.resolve(checkpoints));
        return new Replay.Options(d.range(), d.checkpointDir(), 0, null, false, 0, d.warmSteps(), false, true, false,
                false, null);
    }

    private String topicWithHistory(KafkaTestCluster kafka, String name) {
        String input = kafka.newTopic(name, 3);
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>(ReplayData.readings(6, 0, 400));
        // Invalid records before the interrupted run's stop and after it (within the reader's read-ahead).
        records.add(777, KeyValue.pair("sensor-1".getBytes(StandardCharsets.UTF_8),
                "{broken".getBytes(StandardCharsets.UTF_8)));
        records.add(1500, KeyValue.pair("sensor-2".getBytes(StandardCharsets.UTF_8),
                "{\"load\":\"high\",\"temperature\":1,\"ts\":1}".getBytes(StandardCharsets.UTF_8)));
        kafka.produce(input, records);
        return input;
    }

    @Test
    void twoReplaysOfTheSameTopicAndConfigEndWithBitIdenticalParameters(KafkaTestCluster kafka) throws Exception {
        String input = topicWithHistory(kafka, "replay-det");
        StreamGruConfig a = ReplayData.config(ReplayData.settings(kafka, "det-a-" + System.nanoTime(), input, dir));
        StreamGruConfig b = ReplayData.config(ReplayData.settings(kafka, "det-b-" + System.nanoTime(), input, dir));
        InMemoryModels modelsA = new InMemoryModels();
        InMemoryModels modelsB = new InMemoryModels();

        Replay.Result first = replay(a, trainOnly("a"), modelsA);
        Replay.Result second = replay(b, trainOnly("b"), modelsB);

        assertThat(first.completed()).isTrue();
        assertThat(first.records()).isEqualTo(6 * 400);
        assertThat(first.invalid()).isEqualTo(2);
        assertThat(first.keys()).isEqualTo(6);
        ModelVersion initial = ModelVersion.initial(a.learner(),
                a.configHash());
        assertThat(first.model().parameters()).as("it trained").isNotEqualTo(initial.parameters());
        assertThat(first.model().optimizerSteps()).isPositive();
        assertThat(second.model().parameters()).isEqualTo(first.model().parameters());
        assertThat(second.model().optimizerState()).isEqualTo(first.model().optimizerState());
        assertThat(second.model().featureStats()).isEqualTo(first.model().featureStats());
        assertThat(second.model().targetStats()).isEqualTo(first.model().targetStats());
        assertThat(modelsA.published).hasSize(1);
        assertThat(modelsA.published.get(0).version()).isEqualTo(1);
    }

    @Test
    void anInterruptedReplayResumesFromItsCheckpointAndEndsLikeAnUninterruptedOne(KafkaTestCluster kafka)
            throws Exception {
        String input = topicWithHistory(kafka, "replay-resume");
        StreamGruConfig whole = ReplayData.config(ReplayData.settings(kafka, "whole-" + System.nanoTime(), input, dir));
        StreamGruConfig split = ReplayData.config(ReplayData.settings(kafka, "split-" + System.nanoTime(), input, dir));
        Replay.Result uninterrupted = replay(whole, trainOnly("whole"), new InMemoryModels());

        InMemoryModels models = new InMemoryModels();
        Replay.Options options = trainOnly("split").withCheckpointRecords(300);
        Replay.Result stopped = replay(split, options.withMaxRecords(1000), models);
        assertThat(stopped.completed()).isFalse();
        assertThat(stopped.records()).isBetween(1000L, 1200L);
        assertThat(stopped.checkpoint()).exists();
        assertThat(models.published).isEmpty();

        Replay.Result resumed = replay(split, options, models);
        assertThat(resumed.completed()).isTrue();
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.recordsThisRun()).isEqualTo(6 * 400 - stopped.records());
        assertThat(resumed.records()).isEqualTo(uninterrupted.records());
        assertThat(resumed.invalid()).as("each invalid record counted once").isEqualTo(2);
        assertThat(resumed.model().parameters()).isEqualTo(uninterrupted.model().parameters());
        assertThat(resumed.model().optimizerState()).isEqualTo(uninterrupted.model().optimizerState());
        assertThat(resumed.model().samplesTrained()).isEqualTo(uninterrupted.model().samplesTrained());
        assertThat(Files.exists(new Replay(split, options, models, null, null, () -> false).checkpointFile()))
                .as("a completed replay deletes its checkpoint").isFalse();
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsNotResumed(KafkaTestCluster kafka) throws Exception {
        String input = topicWithHistory(kafka, "replay-other");
        Map<String, String> settings = ReplayData.settings(kafka, "other-" + System.nanoTime(), input, dir);
        Replay.Options options = trainOnly("other");
        assertThat(replay(ReplayData.config(settings), options.withMaxRecords(500), new InMemoryModels()).completed())
                .isFalse();
        settings.put("learner.hidden", "12");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> replay(ReplayData.config(settings), options, new InMemoryModels()))
                .hasMessageContaining("--fresh");
        Replay.Options fresh = new Replay.Options(options.range(), options.checkpointDir(), 0, null, true, 0,
                options.warmSteps(), false, true, false, false, null);
        assertThat(replay(ReplayData.config(settings), fresh, new InMemoryModels()).completed()).isTrue();
    }
}
