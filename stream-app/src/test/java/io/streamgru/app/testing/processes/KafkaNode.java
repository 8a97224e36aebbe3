package io.streamgru.app.testing.processes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.tools.StorageTool;

/**
 * One KRaft node (broker and controller in one) as its own JVM: {@code kafka.Kafka server.properties},
 * what {@code kafka-server-start.sh} runs. Its log directory outlives the process, so a node killed
 * with {@code kill -9} restarts with its data, as a real one does.
 */
public final class KafkaNode implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    /** Small heap, serial GC, C1 only: a test broker sees little traffic and must not starve the app's two cores. */
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");

    private final int id;
    private final int clientPort;
    private final int controllerPort;
    private final Path directory;
    private final Path configFile;
    private JavaProcess process;

    KafkaNode(int id, int clientPort, int controllerPort, Path directory) {
        this.id = id;
        this.clientPort = clientPort;
        this.controllerPort = controllerPort;
        this.directory = directory;
        this.configFile = directory.resolve("server.properties");
    }

    /** The node id ({@code node.id}). */
    public int id() {
        return id;
    }

    /** {@code 127.0.0.1:PORT} of its client listener. */
    public String clientAddress() {
        return LOOPBACK + ":" + clientPort;
    }

    /** {@code id@127.0.0.1:PORT}, its entry in {@code controller.quorum.voters}. */
    String voter() {
        return id + "@" + LOOPBACK + ":" + controllerPort;
    }

    /** Where its config, log dir and process log live. */
    public Path directory() {
        return directory;
    }

    /** Writes {@code server.properties} and formats the log dir for {@code clusterId}, as {@code kafka-storage.sh format} does. */
    void configure(String clusterId, String voters, Map<String, String> brokerConfigs) {
        Properties config = new Properties();
        config.putAll(brokerConfigs);
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(id));
        config.put("controller.quorum.voters", voters);
        config.put("listeners", "PLAINTEXT://" + clientAddress() + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + clientAddress());
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", directory.resolve("data").toString());
        // A killed node's registration expires after 3 s instead of 9, so its restart is accepted
        // (not refused as DUPLICATE_BROKER_REGISTRATION) in ~8 s instead of 15-17 s.
        config.put("broker.session.timeout.ms", "3000");
        config.put("broker.heartbeat.interval.ms", "500");
        try {
            Files.createDirectories(directory);
            try (OutputStream out = Files.newOutputStream(configFile)) {
                config.store(out, "kafka node " + id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            // execute, never main: main ends the JVM when it is done.
            exitCode = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config",
                configFile.toString()}, print);
        } catch (Exception e) {
            throw new IllegalStateException("formatting node " + id + " failed: " + e.getMessage() + "\n"
                    + output.toString(StandardCharsets.UTF_8), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("formatting node " + id + " failed (exit code " + exitCode + "):\n"
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** Starts the node's process (a new one after {@link #kill()}); returns at once. */
    void start() {
        if (isRunning()) {
            throw new IllegalStateException("kafka node " + id + " is already running");
        }
        process = JavaProcess.start("kafka-node-" + id, directory.resolve("node.log"), JVM_OPTIONS,
                "kafka.Kafka", List.of(configFile.toString()), Map.of());
    }

    /** Whether its process runs. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}; its log dir stays. */
    void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /** The last lines of its output (all starts), for failure messages. */
    public String logTail(int lines) {
        return process == null ? "(never started)" : process.logTail(lines);
    }

    /** Kills it if it runs. */
    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
