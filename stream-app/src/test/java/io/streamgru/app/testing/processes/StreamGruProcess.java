package io.streamgru.app.testing.processes;

import io.streamgru.app.cli.StreamGruCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code streamgru run --config streamgru.yaml} as its own process, as an operator runs it: the
 * config is a YAML file written from the settings (re-written at every start, so a test can change
 * a setting between restarts), the state directory and log outlive the process, and it can be
 * killed with {@code kill -9}, stopped with SIGTERM, or have its state directory wiped.
 */
public final class StreamGruProcess implements AutoCloseable {

    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-Djava.awt.headless=true");

    private final String name;
    private final Path directory;
    private final Map<String, String> settings;
    private JavaProcess process;
    private int starts;

    /**
     * An app named {@code name} living in {@code directory} (config, log, and the state directory
     * {@code directory/state} unless the settings name one), with these settings (keys as in the
     * README's table, e.g. {@code kafka.bootstrap.servers}).
     */
    public StreamGruProcess(String name, Path directory, Map<String, String> settings) {
        this.name = name;
        this.directory = directory;
        this.settings = new LinkedHashMap<>(settings);
        this.settings.putIfAbsent("kafka.state.dir", directory.resolve("state").toString());
        this.settings.putIfAbsent("http.port", "0"); // a free port: several instances share the machine
    }

    /** Its name, as given. */
    public String name() {
        return name;
    }

    /** Changes a setting for the next start. */
    public void set(String key, String value) {
        settings.put(key, value);
    }

    /** Its Kafka Streams state directory. */
    public Path stateDirectory() {
        return Path.of(settings.get("kafka.state.dir"));
    }

    /** Writes the config file and starts the process; returns at once. */
    public void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Path config = directory.resolve("streamgru.yaml");
        try {
            Files.createDirectories(directory);
            Files.writeString(config, yaml(settings));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        starts++;
        process = JavaProcess.start(name, directory.resolve("run.log"), JVM_OPTIONS,
                StreamGruCommand.class.getName(), List.of("run", "--config", config.toString()), Map.of());
    }

    /** How many times it was started. */
    public int starts() {
        return starts;
    }

    /** Whether the process runs. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Its exit code, once it has ended. */
    public OptionalInt exitCode() {
        return process == null ? OptionalInt.empty() : process.exitCode();
    }

    /** {@code kill -9}: no shutdown hook, no commit, no leaving the group. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM; the exit code if it ended within {@code seconds}, else empty (and it was killed). */
    public OptionalInt terminate(long seconds) {
        return process.terminate(seconds);
    }

    /** Deletes the state directory (the app must not be running): everything must come back from the changelogs. */
    public void deleteStateDirectory() {
        if (isAlive()) {
            throw new IllegalStateException("delete the state of a stopped app only");
        }
        Path state = stateDirectory();
        if (!Files.exists(state)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(state)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + state, e);
        }
    }

    /** Everything it printed, over all starts. */
    public String log() {
        return process == null ? "" : process.log();
    }

    /** The last lines it printed, for failure messages. */
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

    /** Settings as YAML, one mapping per first key segment: {@code kafka.state.dir} is {@code kafka: {state.dir: …}}. */
    static String yaml(Map<String, String> settings) {
        Map<String, Map<String, String>> sections = new TreeMap<>();
        settings.forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot < 1) {
                throw new IllegalArgumentException("a setting is section.key, e.g. learner.hidden: " + key);
            }
            sections.computeIfAbsent(key.substring(0, dot), s -> new TreeMap<>()).put(key.substring(dot + 1), value);
        });
        StringBuilder yaml = new StringBuilder();
        sections.forEach((section, entries) -> {
            yaml.append(section).append(":\n");
            entries.forEach((key, value) -> yaml.append("  ").append(key).append(": '")
                    .append(value.replace("'", "''")).append("'\n"));
        });
        return yaml.toString();
    }
}
