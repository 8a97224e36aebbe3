package io.streamgru.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
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
        pb.environment().put("STREAMGRU_HTTP_PORT", "0"); // a free port: tests run side by side
        pb.environment().put("STREAMGRU_LEARNER_WINDOW", "8");
        Process process = pb.start();
        try {
            awaitTopic(kafka, appId + "-forecasts", process);
            try {
                assertThat(kafka.consumeStrings(appId + "-forecasts", readings.size(), Duration.ofSeconds(90)))
                        .hasSize(readings.size());
                // Its endpoint (http.port 0: a free port, printed; bound to every address by default).
                java.util.regex.Matcher endpoint = java.util.regex.Pattern
                        .compile("metrics and health at http://0\\.0\\.0\\.0:(\\d+)/")
                        .matcher(Files.readString(dir.resolve("run.log")));
                assertThat(endpoint.find()).as("endpoint printed").isTrue();
                String url = "http://127.0.0.1:" + endpoint.group(1) + "/";
                assertThat(httpGet(url + "health").statusCode()).isEqualTo(200);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (httpGet(url + "ready").statusCode() != 200) {
                    assertThat(System.nanoTime()).as("ready within 30 s").isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(httpGet(url + "metrics").body()).containsPattern("(?m)^streamgru_records_total 300\\.0$")
                        .containsPattern("(?m)^streamgru_forecasts_total 300\\.0$").contains("jvm_memory_used_bytes{");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nstreamgru run's log:\n"
                        + Files.readString(dir.resolve("run.log")), e);
            }
        } finally {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops within 60 s of SIGTERM").isTrue();
        }
        assertThat(process.exitValue()).as("exit code after SIGTERM; log:%n%s", Files.readString(dir.resolve("run.log")))
                .isZero();
        String log = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("streamgru run: app '" + appId + "'", "stopped cleanly: 300 records, 300 forecasts");
        assertThat(log).as("the keys held before the stop, not the closed tasks' none")
                .containsPattern("stopped cleanly: .*, keys 3, ");
        assertThat(log).as("its own departure is no death for its failover fencer").doesNotContain("instance gone from group");
        assertThat(kafka.consumeAllStringsUntilIdle(appId + "-model", Duration.ofSeconds(2))).isNotEmpty();
    }

    @Test
    void anUnreachableBrokerStopsTheStartWithOneLineAndExitCode1() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free once closed: nothing listens there
        }
        Path config = dir.resolve("unreachable.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap.servers: 127.0.0.1:" + closedPort,
                "  default.api.timeout.ms: 3000",
                "  request.timeout.ms: 3000",
                "  state.dir: " + dir.resolve("state"),
                "input:",
                "  topics: [nowhere]",
                "  target: temperature",
                ""));
        Run run = runToEnd("run", "--config", config.toString());
        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(1);
        assertThat(run.stderr().lines().filter(l -> !l.isBlank()).toList()).as("stderr")
                .containsExactly("error: no answer from the Kafka cluster at 127.0.0.1:" + closedPort + " within 3 s: check "
                        + "kafka.bootstrap.servers, that the brokers are up and reachable from here, and "
                        + "kafka.security.protocol");

        Run verbose = runToEnd("run", "--config", config.toString(), "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(1);
        assertThat(verbose.stderr()).contains("error: no answer from the Kafka cluster", "\tat ");
    }

    @Test
    void registryCredentialsItRefusesStopTheStartWithOneLineAndExitCode1(KafkaTestCluster kafka) throws Exception {
        try (LocalSchemaRegistryServer registry = LocalSchemaRegistryServer.builder().port(0)
                .basicAuth("streamgru", "right").start()) {
            Run run = runToEnd("run", "--config", avroConfig(kafka, registry.url(), "streamgru:wrong").toString());
            assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(1);
            assertThat(run.stderr().lines().filter(l -> !l.isBlank()).toList()).as("stderr").singleElement()
                    .asString().startsWith("error: the Schema Registry refused the credentials (GET " + registry.url())
                    .endsWith("): check schema.registry.basic.auth.user.info");
        }
    }

    @Test
    void anUnreachableRegistryStopsTheStartWithOneLineAndExitCode1(KafkaTestCluster kafka) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = runToEnd("run", "--config", avroConfig(kafka, "http://127.0.0.1:" + closedPort, "u:p").toString());
        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(1);
        assertThat(run.stderr().lines().filter(l -> !l.isBlank()).toList()).as("stderr").singleElement()
                .asString().startsWith("error: the Schema Registry cannot be reached (")
                .endsWith("): check schema.registry.url and that the registry is up");
    }

    @Test
    void anUntrustedRegistryCertificateStopsTheStartWithOneLineNamingTheTrustStoreSetting(KafkaTestCluster kafka)
            throws Exception {
        Path keyStore = dir.resolve("registry.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            keys.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory keyManagers = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("[]".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.start();
        try {
            Run run = runToEnd("run", "--config", avroConfig(kafka, "https://127.0.0.1:" + server.getAddress().getPort(),
                    "u:p").toString());
            assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(1);
            assertThat(run.stderr().lines().filter(l -> !l.isBlank()).toList()).as("stderr").singleElement()
                    .asString().startsWith("error: TLS with the Schema Registry failed (")
                    .endsWith("set schema.registry.ssl.truststore.location (and .password)");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sigintStopsCleanlyWithExitCode0(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("run-int", 1);
        Path config = dir.resolve("int.yaml");
        Files.writeString(config, String.join("\n",
                "app:",
                "  id: run-int-" + System.nanoTime(),
                "kafka:",
                "  bootstrap.servers: " + kafka.bootstrapServers(),
                "  state.dir: " + dir.resolve("state-int"),
                "input:",
                "  topics: [" + input + "]",
                "  target: temperature",
                ""));
        Path log = dir.resolve("int.log");
        ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                StreamGruCommand.class.getName(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("STREAMGRU_HTTP_PORT", "0");
        Process process = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("Ctrl-C or SIGTERM stops it")) {
                assertThat(process.isAlive()).as("running; log: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("started within 60 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops within 60 s of SIGINT").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("exit code after SIGINT; log:%n%s", Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("streamgru run: stopped cleanly");
    }

    @Test
    void anAvroTopicReadAsJsonStopsTheStartWithOneLineSayingWhichFormatToSet(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("run-framed", 2);
        List<KeyValue<byte[], byte[]>> framed = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // magic byte 0, schema id 7, then an Avro body
            framed.add(KeyValue.pair(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 7, 2, 4, 6}));
        }
        kafka.produce(input, framed);
        Path config = dir.resolve("framed.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap.servers: " + kafka.bootstrapServers(),
                "  state.dir: " + dir.resolve("state"),
                "input:",
                "  topics: [" + input + "]",
                "  target: temperature",
                ""));
        Run run = runToEnd("run", "--config", config.toString());
        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines().filter(l -> !l.isBlank()).toList()).as("stderr").containsExactly(
                "error: input topic(s) " + input + " look like Confluent-framed Avro (schema id 7 in the newest records), "
                        + "not JSON: set input.format: avro (and schema.registry.url)");
    }

    @Test
    void aFeatureNoRecordHasStopsTheStartWithOneLineInsteadOfDeadLetteringTheWholeInput(KafkaTestCluster kafka)
            throws Exception {
        String input = kafka.newTopic("run-typo", 2);
        List<KeyValue<String, String>> readings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readings.add(KeyValue.pair("room-" + i % 3, "{\"outdoor\":" + i + ",\"temperature\":20}"));
        }
        kafka.produceStrings(input, readings);
        Path config = dir.resolve("typo.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap.servers: " + kafka.bootstrapServers(),
                "  state.dir: " + dir.resolve("state"),
                "input:",
                "  topics: [" + input + "]",
                "  features: [outdor]",
                "  target: temperature",
                ""));
        Run run = runToEnd("run", "--config", config.toString());
        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(2);
        List<String> lines = run.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("stderr").hasSize(1);
        assertThat(lines.get(0)).as("up to 5 per partition").matches("error: none of the \\d+ newest records of " + input
                + " has every field the settings name \\(feature 'outdor' is missing\\): check input.features, "
                + "input.key and input.target");
    }

    private Path avroConfig(KafkaTestCluster kafka, String registryUrl, String userInfo) throws Exception {
        Path config = Files.createTempFile(dir, "avro", ".yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap.servers: " + kafka.bootstrapServers(),
                "  state.dir: " + dir.resolve("state"),
                "schema:",
                "  registry:",
                "    url: " + registryUrl,
                "    basic.auth.credentials.source: USER_INFO",
                "    basic.auth.user.info: " + userInfo,
                "input:",
                "  topics: [nowhere]",
                "  format: avro",
                "  target: temperature",
                ""));
        return config;
    }

    private static java.net.http.HttpResponse<String> httpGet(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** What a finished {@code streamgru} process printed on stderr, and its exit code. */
    private record Run(int exitCode, String stderr) {
    }

    private Run runToEnd(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                StreamGruCommand.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(name -> name.startsWith("STREAMGRU_"));
        pb.environment().put("STREAMGRU_HTTP_PORT", "0"); // a free port: tests run side by side
        Process process = pb.start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("finishes within 90 s").isTrue();
        return new Run(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
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
