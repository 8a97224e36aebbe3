package io.streamgru.app.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kafka.tools.StorageTool;

/**
 * Formats a KRaft node's log directories, as {@code kafka-storage.sh format} does, so that the
 * node can start: it writes {@code meta.properties} and the bootstrap metadata (cluster id,
 * the newest production metadata version) into every log dir of the given config.
 */
final class KraftStorage {

    private KraftStorage() {
    }

    /**
     * Formats the log dirs named in {@code serverProperties} for cluster {@code clusterId}.
     *
     * @throws IllegalStateException if the storage tool refuses, with the tool's own output
     */
    static void format(Path serverProperties, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "--cluster-id", clusterId, "--config", serverProperties.toString()};
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            // execute, never main: main ends the JVM when it is done.
            exitCode = StorageTool.execute(args, out);
        } catch (Exception e) {
            throw new IllegalStateException("formatting Kafka storage failed: " + e.getMessage()
                    + "\n" + output.toString(StandardCharsets.UTF_8), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("formatting Kafka storage failed (exit code " + exitCode
                    + "):\n" + output.toString(StandardCharsets.UTF_8));
        }
    }
}
