package io.streamgru.schemas.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/decode_with_confluent_client.py}: Confluent's legacy Python client
 * (Debian's python3-confluent-kafka with python3-avro) decoding messages the way
 * {@code confluent_kafka.avro.AvroConsumer} does.
 */
final class ConfluentPythonClient {

    /** Set to 1 (as CI does) to fail instead of skipping when the Python packages are missing. */
    static final String REQUIRE_ENV = "CI_REQUIRE_PYTHON_CONFLUENT";
    static final String APT_PACKAGES = "python3-confluent-kafka python3-avro";

    private final String python;
    private final Path script;
    private final ObjectMapper json = new ObjectMapper();

    private ConfluentPythonClient(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    /** The client, or why it cannot run here. */
    static Result<ConfluentPythonClient> find() {
        // Debian's own interpreter: the packages are installed for it, not for a pyenv/venv python.
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path script = Path.of(System.getProperty("streamgru.python.dir", "src/test/python"),
                "decode_with_confluent_client.py");
        try {
            Process probe = new ProcessBuilder(python, "-c",
                    "import confluent_kafka.avro.serializer.message_serializer, avro.io; import confluent_kafka; "
                            + "print(confluent_kafka.version()[0])").redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return Result.missing(python + " cannot import confluent_kafka.avro and avro (apt-get install -y "
                        + APT_PACKAGES + "): " + lastLine(output));
            }
            return Result.of(new ConfluentPythonClient(python, script), output);
        } catch (IOException e) {
            return Result.missing("no " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.missing("interrupted");
        }
    }

    /** Decodes Confluent-framed {@code messages} against the registry at {@code registryUrl}. */
    List<JsonNode> decode(String registryUrl, List<byte[]> messages) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(python, script.toString(), registryUrl).start();
        try (OutputStream in = process.getOutputStream()) {
            for (byte[] message : messages) {
                in.write((HexFormat.of().formatHex(message) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("the Confluent Python client failed to decode:\n" + stderr + stdout);
        }
        List<JsonNode> decoded = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                decoded.add(json.readTree(line));
            }
        }
        return decoded;
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines[lines.length - 1];
    }

    /** A value or the reason it is absent. */
    record Result<T>(Optional<T> value, String detail) {
        static <T> Result<T> of(T value, String detail) {
            return new Result<>(Optional.of(value), detail);
        }

        static <T> Result<T> missing(String why) {
            return new Result<>(Optional.empty(), why);
        }
    }
}
