package io.streamgru.app.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.ConfigSources;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.input.Observation;
import io.streamgru.app.input.RecordDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/ without a Docker engine: the Dockerfile copies every reactor module and runs as a user
 * that owns its state directory; compose.yaml parses and references services, files and images
 * that exist, checks health on {@code /ready}, and hands StreamGRU settings it accepts; the sensor
 * generator writes records those settings decode.
 */
class DockerFilesTest {

    private final Path root = Repository.root();
    private final Path docker = root.resolve("docker");

    @Test
    void theImageBuildsFromEveryReactorModuleAndOnlyFromFilesThatExist() throws Exception {
        Dockerfile dockerfile = Dockerfile.read(docker.resolve("Dockerfile"));
        List<String> copied = dockerfile.stages().get(0).copiedFromContext().stream()
                .map(DockerFilesTest::withoutTrailingSlash).toList();

        assertThat(copied).as("the build stage copies every module of the root pom")
                .containsAll(Repository.modules());
        for (String source : copied) {
            assertThat(root.resolve(source)).as("COPY source %s", source).exists();
        }
        assertThat(String.join("\n", Files.readAllLines(root.resolve(".dockerignore"))))
                .as("build output stays out of the context").contains("**/target");
    }

    @Test
    void theImageRunsAsAUserThatOwnsItsStateDirectory() throws IOException {
        Dockerfile.Stage runtime = Dockerfile.read(docker.resolve("Dockerfile")).last();
        List<Dockerfile.Instruction> users = runtime.all("USER");
        assertThat(users).as("one USER in the runtime stage").hasSize(1);
        String user = users.get(0).arguments().trim();
        assertThat(user).isNotIn("root", "0");

        String runs = String.join(" && ", runtime.all("RUN").stream().map(Dockerfile.Instruction::arguments).toList());
        assertThat(runs).contains("useradd").contains(" " + user);
        assertThat(runs).as("the state directory is created").containsPattern("mkdir -p [^&]*/app/state");
        assertThat(runs).as("and owned by " + user).containsPattern("chown -R " + user + "(:" + user + ")? /app");
        assertThat(runtime.all("ENV")).extracting(Dockerfile.Instruction::arguments)
                .contains("STREAMGRU_KAFKA_STATE_DIR=/app/state");
        assertThat(runtime.all("VOLUME")).extracting(Dockerfile.Instruction::arguments).contains("/app/state");
        assertThat(runs).as("curl for the health check").contains("curl");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeStartsKafkaARegistryStreamGruAndAGeneratorThatExistAndAreHealthChecked() throws Exception {
        Map<String, Object> compose;
        try (InputStream in = Files.newInputStream(docker.resolve("compose.yaml"))) {
            compose = new Yaml().load(in);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("kafka", "schema-registry", "streamgru", "sensors");
        Map<String, Object> volumes = (Map<String, Object>) compose.getOrDefault("volumes", Map.of());

        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> service = e.getValue();
            assertThat(service.containsKey("image") || service.containsKey("build")).as(name + ": an image or a build")
                    .isTrue();
            if (service.get("build") instanceof Map<?, ?> build) {
                Path context = docker.resolve((String) build.get("context")).normalize();
                assertThat(context.resolve((String) build.get("dockerfile"))).as(name + "'s Dockerfile").exists();
            }
            if (service.get("image") instanceof String image && service.get("build") == null) {
                assertThat(image).as(name + ": a pinned image").matches("[^:]+:[^:]+").doesNotEndWith(":latest");
            }
            Object dependsOn = service.getOrDefault("depends_on", Map.of());
            if (dependsOn instanceof Map<?, ?> deps) {
                deps.forEach((dependency, condition) -> {
                    assertThat(services).as(name + " depends on").containsKey((String) dependency);
                    if (condition instanceof Map<?, ?> c && "service_healthy".equals(c.get("condition"))) {
                        assertThat(services.get(dependency)).as(dependency + " has a health check").containsKey("healthcheck");
                    }
                });
            }
            for (Object mount : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String source = ((String) mount).split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(docker.resolve(source)).as(name + " mounts").exists();
                } else {
                    assertThat(volumes).as(name + "'s named volume").containsKey(source);
                }
            }
        }
        for (String checked : List.of("kafka", "schema-registry", "streamgru")) {
            assertThat(services.get(checked)).as(checked).containsKey("healthcheck");
        }
        Map<String, Object> streamgru = services.get("streamgru");
        assertThat((List<String>) ((Map<String, Object>) streamgru.get("healthcheck")).get("test"))
                .containsExactly("CMD", "curl", "-f", "http://localhost:8080/ready");
        assertThat(services.get("kafka").get("image")).as("the Kafka the project builds against")
                .isEqualTo("apache/kafka:4.3.1");
        assertThat(String.join(" ", (List<String>) services.get("sensors").get("entrypoint")))
                .contains("--topic sensors", "/generator/sensors.awk");
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamGruAcceptsTheComposeSettingsAndDecodesWhatTheGeneratorWrites() throws Exception {
        Map<String, Object> compose;
        try (InputStream in = Files.newInputStream(docker.resolve("compose.yaml"))) {
            compose = new Yaml().load(in);
        }
        Map<String, Object> streamgru = ((Map<String, Map<String, Object>>) compose.get("services")).get("streamgru");
        Map<String, String> environment = new java.util.HashMap<>();
        ((Map<String, Object>) streamgru.get("environment")).forEach((k, v) -> environment.put(k, String.valueOf(v)));
        StreamGruConfig config = StreamGruConfig.from(ConfigSources.load(docker.resolve("streamgru.yaml"),
                environment, Map.of()));
        String created = String.join(" ", (List<String>) ((Map<String, Map<String, Object>>) compose.get("services"))
                .get("create-topics").get("entrypoint"));
        assertThat(created).contains("--topic " + config.input().topics().get(0));

        List<String> lines = generate(3);
        assertThat(lines).hasSize(3 * 8);
        RecordDecoder decoder = InputDecoders.of(config, null).get();
        Observation o = new Observation(config.input().features().size());
        List<String> rooms = new ArrayList<>();
        for (String line : lines) {
            String[] keyAndValue = line.split("\\|", 2);
            decoder.decode(config.input().topics().get(0), keyAndValue[0].getBytes(StandardCharsets.UTF_8),
                    keyAndValue[1].getBytes(StandardCharsets.UTF_8), 0, o);
            rooms.add(o.seriesId());
            assertThat(o.features()).as(line).hasSize(2);
            assertThat(Double.isFinite(o.features()[0]) && Double.isFinite(o.features()[1])).as(line).isTrue();
            assertThat(o.target()).as(line).isBetween(10.0, 30.0);
        }
        assertThat(rooms).contains("room-000", "room-007");
    }

    /** {@code steps} steps of docker/sensors.awk, run by this machine's awk without pauses. */
    private List<String> generate(int steps) throws Exception {
        Process awk;
        try {
            awk = new ProcessBuilder("awk", "-v", "steps=" + steps, "-v", "interval=0", "-f",
                    docker.resolve("sensors.awk").toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no awk on this machine: " + e.getMessage());
            throw e;
        }
        String out = new String(awk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(awk.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(awk.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
