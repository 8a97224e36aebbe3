package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.config.ConfigSources;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import io.streamgru.app.versions.VersionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model import} and {@code model rollback} while the live optimizer trains: every command
 * takes effect (the optimizer trains on from the version it published), and the model topics hold
 * one line of versions: each number once, in order, the history's copies the model topic's own.
 */
@WithKafka
class ModelChangesUnderTrainingTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int COMMANDS = 10;

    @TempDir
    Path dir;

    @Test
    void importAndRollbackTakeEffectWhileTheOptimizerTrainsAndHistoryStaysOneLine(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("live-changes-in", 2);
        String appId = "live-changes-" + System.nanoTime();
        Path file = dir.resolve("app.properties");
        Files.writeString(file, String.join("\n",
                "app.id=" + appId,
                "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "kafka.state.dir=" + dir.resolve("state"),
                "input.topics=" + input,
                "input.features=load",
                "input.target=temperature",
                "learner.hidden=16",
                "learner.chunk=8",
                "learner.window=16",
                "streaming.gradient.batch.samples=16",
                "streaming.gradient.flush.ms=200",
                "streaming.model.history.interval.ms=1000",
                ""));
        StreamGruConfig c = StreamGruConfig.from(ConfigSources.fromFile(file));
        ModelTopicReader reader = new ModelTopicReader(c);
        AtomicBoolean producing = new AtomicBoolean(true);
        Map<Long, String> requested = new HashMap<>(); // version -> origin, as the commands reported them
        try (StreamGruApp app = new StreamGruApp(c, new StreamGruMetrics(new SimpleMeterRegistry()))) {
            app.start();
            Thread producer = new Thread(() -> {
                for (int t = 0; producing.get(); t += 10) {
                    kafka.produce(input, readings(4, t, t + 10));
                    sleep(100);
                }
            }, "sensor-producer");
            producer.start();
            try {
                awaitVersionAbove(reader, 3);
                Path snapshot = dir.resolve("v2.avro");
                CommandRun export = CommandRun.run("model", "export", "--config", file.toString(), "--version", "2",
                        "--output", snapshot.toString());
                assertThat(export.exitCode()).as(export.err()).isZero();

                for (int i = 0; i < COMMANDS; i++) {
                    boolean importing = i % 2 == 0;
                    CommandRun r = importing ? CommandRun.run("model", "import", "--config", file.toString(),
                            snapshot.toString())
                            : CommandRun.run("model", "rollback", "--config", file.toString(), "--to", "1");
                    assertThat(r.exitCode()).as("command %d: %s%s", i, r.out(), r.err()).isZero();
                    long published = Long.parseLong(r.out().replaceAll("(?s).*as version (\\d+) of model.*", "$1"));
                    requested.put(published, importing ? "import" : "rollback:1");
                    // The optimizer trains on before the next command, so every command meets a live optimizer.
                    awaitVersionAbove(reader, published);
                }
            } finally {
                producing.set(false);
                producer.join();
            }
        }

        List<ModelVersion> onModelTopic = versions(kafka.consumeAllUntilIdle(c.modelTopic(), Duration.ofSeconds(2)));
        for (int i = 0; i < onModelTopic.size(); i++) {
            assertThat(onModelTopic.get(i).version()).as("the model topic's record #%d", i).isEqualTo(i + 1);
        }
        List<ConsumerRecord<byte[], byte[]>> history = kafka.consumeAllUntilIdle(c.modelHistoryTopic(),
                Duration.ofSeconds(2));
        long previous = 0;
        for (ConsumerRecord<byte[], byte[]> h : history) {
            long number = ModelVersionCodec.version(h.value());
            assertThat(number).as("history numbers rise").isGreaterThan(previous);
            previous = number;
            assertThat(ModelVersionCodec.encode(onModelTopic.get((int) number - 1)))
                    .as("history's version %d is the model topic's", number).isEqualTo(h.value());
        }

        ModelVersion one = onModelTopic.get(0);
        ModelVersion two = onModelTopic.get(1);
        assertThat(requested).hasSize(COMMANDS);
        int tookEffect = 0;
        for (Map.Entry<Long, String> e : requested.entrySet()) {
            ModelVersion v = onModelTopic.get((int) (e.getKey() - 1));
            ModelVersion source = e.getValue().equals("import") ? two : one;
            ModelVersion next = onModelTopic.get((int) (long) e.getKey());
            assertThat(v.origin()).isEqualTo(e.getValue());
            assertThat(v.parameters()).as("version %d holds what was asked for", v.version())
                    .containsExactly(source.parameters());
            assertThat(v.optimizerSteps()).isEqualTo(source.optimizerSteps());
            assertThat(history).as("version %d is in the history, tagged with its request", v.version())
                    .anySatisfy(h -> {
                        assertThat(ModelVersionCodec.version(h.value())).isEqualTo(v.version());
                        assertThat(h.headers().lastHeader(VersionRequest.HEADER)).isNotNull();
                    });
            if (next.origin().equals(ModelVersion.FROM_OPTIMIZER)
                    && next.optimizerSteps() == v.optimizerSteps() + 1) {
                tookEffect++; // the optimizer trained on from the requested version, not from its own lineage
            }
        }
        System.out.printf(Locale.ROOT, "%d of %d imports and rollbacks took effect; %d versions, %d in the history%n",
                tookEffect, COMMANDS, onModelTopic.size(), history.size());
        assertThat(tookEffect).isEqualTo(COMMANDS);
    }

    private static List<ModelVersion> versions(List<ConsumerRecord<byte[], byte[]>> records) {
        List<ModelVersion> versions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            versions.add(ModelVersionCodec.decode(r.value()));
        }
        return versions;
    }

    private static void awaitVersionAbove(ModelTopicReader reader, long version) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (reader.latest().map(ModelVersion::version).orElse(0L) <= version) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the optimizer published nothing after version " + version + " within " + WAIT);
            }
            Thread.sleep(200);
        }
    }

    private static List<KeyValue<byte[], byte[]>> readings(int keys, int fromStep, int toStep) {
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = fromStep; t < toStep; t++) {
            for (int k = 0; k < keys; k++) {
                records.add(KeyValue.pair(("sensor-" + k).getBytes(),
                        String.format(Locale.ROOT, "{\"load\":%.6f,\"temperature\":%.6f}", Math.sin(0.2 * t + k),
                                20 + 3 * Math.sin(0.2 * (t - 1) + k)).getBytes()));
            }
        }
        return records;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
