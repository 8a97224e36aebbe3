package io.streamgru.app.testing.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A JVM child process started from this JVM's own class path (so it runs exactly the code under
 * test), its output appended to one log file across restarts. {@link #kill()} is {@code kill -9}.
 *
 * <p>A JVM shutdown hook kills the child too, so a test JVM that dies or is stopped by a timeout
 * does not leave brokers or apps behind; tests still stop it themselves in {@code finally}.
 */
public final class JavaProcess implements AutoCloseable {

    private final String name;
    private final Path log;
    private final Process process;
    private final Thread reaper;

    private JavaProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts {@code java jvmOptions… -cp <this class path> mainClass args…} with only the given
     * extra environment variables on top of this one's, minus every {@code STREAMGRU_*} variable
     * (a developer's own settings must not leak into a test).
     */
    public static JavaProcess start(String name, Path log, List<String> jvmOptions, String mainClass,
                                    List<String> args, Map<String, String> environment) {
        List<String> command = javaCommand(jvmOptions, mainClass, args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return start(name, log, builder, environment);
    }

    /**
     * Starts a command-line program as a user's shell does: its standard output in {@code stdout},
     * its standard error in {@code stderr} (so a test can tell them apart), its temp dir
     * {@code tmpdir}, and SIGINT handled as by default whatever this JVM inherited (a JVM started in
     * the background of a non-interactive shell ignores SIGINT, and children inherit that; GNU env's
     * {@code --default-signal} undoes it), so that {@link #signal} {@code INT} is a Ctrl-C.
     */
    public static JavaProcess startProgram(String name, Path stdout, Path stderr, Path tmpdir, List<String> jvmOptions,
                                           String mainClass, List<String> args) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djava.io.tmpdir=" + tmpdir);
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(javaCommand(options, mainClass, args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        return start(name, stdout, builder, Map.of());
    }

    private static List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOptions.stream().noneMatch(option -> option.startsWith("-Djava.io.tmpdir="))) {
            command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    private static JavaProcess start(String name, Path log, ProcessBuilder builder, Map<String, String> environment) {
        builder.environment().keySet().removeIf(variable -> variable.startsWith("STREAMGRU_"));
        builder.environment().putAll(environment);
        try {
            Files.writeString(log, "==== " + Instant.now() + " starting " + name + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return new JavaProcess(name, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** What it is, e.g. {@code kafka-node-2}. */
    public String name() {
        return name;
    }

    /** The OS process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether it still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: SIGKILL, no shutdown hooks, no flushing; returns once it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(30);
        forgetReaper();
    }

    /**
     * SIGTERM, as an operator or an orchestrator stops a process; waits up to {@code seconds} for
     * it to exit.
     *
     * @return its exit code, or empty if it was still running after {@code seconds} (then killed)
     */
    public OptionalInt terminate(long seconds) {
        process.destroy();
        if (awaitExit(seconds)) {
            forgetReaper();
            return OptionalInt.of(process.exitValue());
        }
        kill();
        return OptionalInt.empty();
    }

    /**
     * Sends a signal by name ({@code INT} is Ctrl-C, {@code TERM} what {@link #terminate} sends) and
     * waits up to {@code seconds} for the process to exit.
     *
     * @return its exit code, or empty if it was still running after {@code seconds} (then killed)
     */
    public OptionalInt signal(String signal, long seconds) {
        try {
            int sent = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO().start().waitFor();
            if (sent != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: " + sent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
        if (awaitExit(seconds)) {
            forgetReaper();
            return OptionalInt.of(process.exitValue());
        }
        kill();
        return OptionalInt.empty();
    }

    /** The exit code if it has ended. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** The whole log (of every start), for failure messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        String[] all = log().split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** Kills it if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        forgetReaper();
    }

    private void forgetReaper() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; nothing to undo
        }
    }

    private boolean awaitExit(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }
}
