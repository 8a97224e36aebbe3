package io.streamgru.app.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs kcat, librdkafka's command-line client: a real non-Java client for interop checks. */
final class Kcat {

    private final Path executable;

    private Kcat(Path executable) {
        this.executable = executable;
    }

    /** kcat from the {@code PATH}, if installed ({@code apt-get install -y kcat}). */
    static Optional<Kcat> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kcat");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new Kcat(candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code kcat args...} and returns its standard output.
     *
     * @throws AssertionError if it exits non-zero or outlives {@code timeout}, with its stderr
     */
    String run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("kcat-", ".out");
        Path err = Files.createTempFile("kcat-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish within " + timeout + "; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + process.exitValue() + "; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
