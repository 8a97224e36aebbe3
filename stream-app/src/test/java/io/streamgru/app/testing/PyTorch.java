package io.streamgru.app.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's {@code /usr/bin/python3} with PyTorch ({@code python3-torch}) for interop checks,
 * with the helpers model-core's interop tests use (safetensors written and read by hand: this
 * torch has no safetensors package). Absent torch skips the test with the reason, unless
 * {@code CI_REQUIRE_TORCH=1} (as in CI), which makes it a failure.
 */
public final class PyTorch {

    /** model-core's Python helpers: {@code make_safetensors_fixture.py}, {@code check_streamgru_safetensors.py}. */
    public static final Path MODEL_CORE_PYTHON = Path.of("../model-core/src/test/python").toAbsolutePath().normalize();

    private static final String PYTHON = "/usr/bin/python3";

    private PyTorch() {
    }

    /** Skips the calling test (or fails it in CI) unless python3 can import torch. */
    public static void assumeAvailable() throws InterruptedException {
        boolean available;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            available = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        }
        if (!available && "1".equals(System.getenv("CI_REQUIRE_TORCH"))) {
            throw new AssertionError("CI_REQUIRE_TORCH=1 but " + PYTHON + " cannot import torch "
                    + "(apt-get install -y python3-torch)");
        }
        Assumptions.assumeTrue(available, "PyTorch absent: " + PYTHON + " cannot import torch "
                + "(apt-get install -y python3-torch to run this test)");
    }

    /** Runs a Python program (model-core's helpers importable) and returns its output; fails on a non-zero exit. */
    public static String run(String program) throws IOException, InterruptedException {
        return run(List.of(PYTHON, "-c", "import sys\nsys.path.insert(0, '" + MODEL_CORE_PYTHON + "')\n" + program));
    }

    /** Runs {@code command} and returns its output; fails on a non-zero exit. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python failed:\n" + String.join(" ", command) + "\n" + output);
        }
        return output;
    }

    /**
     * The numbers on the output's line starting {@code OUTPUTS } (how the helpers print results).
     */
    public static double[] outputs(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("OUTPUTS ")) {
                String[] parts = line.substring(8).trim().split(" ");
                double[] v = new double[parts.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Double.parseDouble(parts[i]);
                }
                return v;
            }
        }
        throw new AssertionError("no OUTPUTS line in:\n" + output);
    }

    /**
     * What PyTorch computes from a StreamGRU-written (or any {@code gru}/{@code head}) safetensors
     * file for {@code inputs} (steps x input size, row-major, zero initial state), in float64.
     */
    public static double[] outputsOf(Path safetensors, double[] inputs) throws IOException, InterruptedException {
        StringBuilder values = new StringBuilder();
        for (double v : inputs) {
            values.append(values.length() == 0 ? "" : ",").append(v);
        }
        return outputs(run(List.of(PYTHON, MODEL_CORE_PYTHON.resolve("check_streamgru_safetensors.py").toString(),
                safetensors.toString(), "--outputs-for", values.toString())));
    }
}
