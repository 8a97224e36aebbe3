package io.streamgru.app.cli;

import static io.streamgru.app.cli.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamgru replay --config FILE} from the command line, stopped with --max-records and continued. */
@WithKafka
class ReplayCommandTest {

    @TempDir
    Path dir;

    @Test
    void replaysInTwoGoesAndPublishesOneVersionAndSavesTheModel(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("replay-cli", 2);
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = 0; t < 300; t++) {
            for (int k = 0; k < 3; k++) {
                records.add(KeyValue.pair(("s" + k).getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                        "{\"load\":%.4f,\"temperature\":%.4f}", Math.sin(0.2 * t + k), 20 + Math.sin(0.2 * t - 0.2 + k))
                        .getBytes(StandardCharsets.UTF_8)));
            }
        }
        kafka.produce(input, records);
        String appId = "replay-cli-" + System.nanoTime();
        Path config = dir.resolve("streamgru.yaml");
        Files.writeString(config, String.join("\n",
                "app:",
                "  id: " + appId,
                "kafka:",
                "  bootstrap.servers: " + kafka.bootstrapServers(),
                "input:",
                "  topics: [" + input + "]",
                "  features: [load]",
                "  target: temperature",
                "learner:",
                "  hidden: 8",
                ""));
        String checkpoints = dir.resolve("ckpt").toString();

        var stopped = run("replay", "--config", config.toString(), "--checkpoint-dir", checkpoints,
                "--max-records", "400", "--quiet");
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("stopped after").contains(appId + ".replay-checkpoint");

        Path model = dir.resolve("model.safetensors");
        var done = run("replay", "--config", config.toString(), "--checkpoint-dir", checkpoints,
                "--save-model", model.toString(), "--window", "8");
        // --window changes the learner settings: the checkpoint does not fit, and the replay says so.
        assertThat(done.exitCode()).isEqualTo(2);
        assertThat(done.err()).contains("--fresh");

        done = run("replay", "--config", config.toString(), "--checkpoint-dir", checkpoints,
                "--save-model", model.toString());
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.err()).contains("resuming from checkpoint");
        assertThat(done.out()).contains("900 records (0 invalid skipped) of 3 keys; model version 1 published to "
                + appId + "-model; 3 warm states");
        assertThat(model).isNotEmptyFile();
        assertThat(dir.resolve("ckpt").resolve(appId + ".replay-checkpoint")).doesNotExist();

        var evaluated = run("evaluate", "--config", config.toString(), "--model", model.toString(), "--no-learn",
                "--quiet", "--json");
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("\"records\":900");
    }
}
