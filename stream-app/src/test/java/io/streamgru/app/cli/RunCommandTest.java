package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamgru run --config FILE} as its own process against a real broker: it forecasts what
 * arrives, and SIGTERM stops it cleanly.
 */
@WithKafka
class RunCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsFromAYamlFileWithEnvironmentOverridesAndStopsCleanlyOnSigterm(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("run-in", 2);
        String appId = "run-" + System.nanoTime();
        Path config = dir.resolve("streamgru.yaml");
        Files.writeString(config, String.join("\n",
                "app:",
                "  id: " + appId,
                "kafka:",
                "  bootstrap.servers: " + kafka.bootstrapServers(),
                "  state.dir: " + dir.resolve("state"),
                "input:",
                "  topics: [" + input + "]",
                "  features: [load]",
                "  target: temperature",
                "learner:",
                "  hidden: 8",
                ""));
        List<KeyValue<String, String>> readings = new ArrayList<>();
        for (int t = 0; t < 100; t++) {
            for (int k = 0; k < 3; k++) {
                readings.add(KeyValue.pair("sensor-" + k, String.format(Locale.ROOT,
                        "{\"load\":%.4f,\"temperature\":%.4f}", Math.sin(0.2 * t + k), 20 + Math.sin(0.2 * t - 0.2 + k))));
            }
        }
        kafka.produceStrings(input, readings);

        ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                StreamGruCommand.class.getName(), "run", "--config", config.toString(), "--chunk", "8")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile());
        // Only this test's settings: a developer's own STREAMGRU_* variables must not leak in.
        pb.environment().keySet().removeIf(name -> name.startsWith("STREAMGRU_"));
        pb.environment().put("STREAMGRU_LEARNER_WINDOW", "8");
        Process process = pb.start();
        try {
            awaitTopic(kafka, appId + "-forecasts", process);
            try {
                assertThat(kafka.consumeStrings(appId + "-forecasts", readings.size(), Duration.ofSeconds(90)))
                        .hasSize(readings.size());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nstreamgru run's log:\n"
                        + Files.readString(dir.resolve("run.log")), e);
            }
        } finally {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops within 60 s of SIGTERM").isTrue();
        }
        String log = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("streamgru run: app '" + appId + "'", "stopped cleanly: 300 records, 300 forecasts");
        assertThat(kafka.consumeAllStringsUntilIdle(appId + "-model", Duration.ofSeconds(2))).isNotEmpty();
    }

    /** The app creates its output topic once it has started; wait for it (or for the process to die). */
    private void awaitTopic(KafkaTestCluster kafka, String topic, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = kafka.newAdmin()) {
            while (!admin.listTopics().names().get().contains(topic)) {
                assertThat(process.isAlive()).as("streamgru run is running; its log: %s",
                        Files.readString(dir.resolve("run.log"))).isTrue();
                assertThat(System.nanoTime()).as("topic %s created within 60 s", topic).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : ""))
                .toString();
    }
}
