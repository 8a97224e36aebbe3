package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.io.SafetensorsReader;
import io.streamgru.model.io.SafetensorsFile;
import io.streamgru.model.io.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files move between StreamGRU and a live PyTorch unchanged: a file StreamGRU writes loads
 * with {@code load_state_dict(strict=True)} and PyTorch computes the same outputs from it; a file
 * PyTorch wrote gives the same outputs in StreamGRU. Needs Debian's python3-torch: skipped with
 * the reason when it is absent, unless CI_REQUIRE_TORCH=1 (as in CI), which makes that a failure.
 */
class PyTorchRoundTripTest {

    private static final Path PYTHON_DIR = Path.of("src/test/python");
    private static final double TOLERANCE = 1e-9;

    @TempDir
    Path dir;

    @BeforeAll
    static void torchIsAvailable() throws Exception {
        boolean available;
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
            available = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        }
        if (!available && "1".equals(System.getenv("CI_REQUIRE_TORCH"))) {
            throw new AssertionError("CI_REQUIRE_TORCH=1 but /usr/bin/python3 cannot import torch "
                    + "(apt-get install -y python3-torch)");
        }
        Assumptions.assumeTrue(available, "PyTorch absent: /usr/bin/python3 cannot import torch "
                + "(apt-get install -y python3-torch to run this test)");
    }

    @Test
    void fileWrittenByStreamGruLoadsStrictlyInPyTorchAndGivesTheSameOutputs() throws Exception {
        // A trained (not freshly initialised) two-layer forecaster with its metadata.
        OnlineForecaster forecaster = new OnlineForecaster(LearnerConfig.builder().features(2).horizon(1)
                .hidden(7).layers(2).chunk(8).window(8).build());
        SeriesState series = forecaster.newSeries();
        for (int t = 0; t < 400; t++) {
            forecaster.observe(series, new double[] {Math.sin(0.1 * t), Math.cos(0.03 * t)}, Math.sin(0.1 * t + 1));
        }
        Path file = dir.resolve("streamgru.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsModel.write(forecaster, out);
        }
        double[] inputs = sequence(6, forecaster.config().inputSize());

        double[] torchOutputs = torchOutputs(file, inputs);

        assertThat(torchOutputs).containsExactly(outputs(forecaster.model(), inputs), within(TOLERANCE));
    }

    @Test
    void fileWrittenByPyTorchGivesTheSameOutputsInStreamGru() throws Exception {
        Path file = Path.of("src/test/resources/fixtures/torch_gru2_linear.safetensors");
        SafetensorsFile content;
        try (InputStream in = Files.newInputStream(file)) {
            content = SafetensorsReader.read(in);
        }
        GruConfig config = StateDict.inferConfig(content.tensors());
        GruModel model = new GruModel(config, StateDict.fromTensors(new io.streamgru.model.gru.ParameterLayout(config),
                content.tensors()));
        double[] inputs = sequence(5, config.inputSize());

        assertThat(outputs(model, inputs)).containsExactly(torchOutputs(file, inputs), within(TOLERANCE));
    }

    @Test
    void plainPyTorchFileIsReadAsAForecasterWithoutNormalisationOrAutoregressiveInput() throws Exception {
        // A one-output nn.GRU + Linear saved by PyTorch, with no StreamGRU metadata.
        Path file = dir.resolve("plain.safetensors");
        run(List.of("/usr/bin/python3", "-c", String.join("\n",
                "import sys, torch",
                "sys.path.insert(0, '" + PYTHON_DIR.toAbsolutePath() + "')",
                "from make_safetensors_fixture import GruModel, write_safetensors",
                "torch.manual_seed(3)",
                "m = GruModel(4, 6, 1, 1).double()",
                "write_safetensors('" + file + "', dict(m.state_dict()))")));
        OnlineForecaster forecaster;
        try (InputStream in = Files.newInputStream(file)) {
            forecaster = SafetensorsModel.read(in, LearnerConfig.builder().features(4).learn(false).build());
        }
        assertThat(forecaster.config().horizon()).isZero();
        assertThat(forecaster.config().autoregressive()).isFalse();
        assertThat(forecaster.config().normalize()).isFalse();

        double[] inputs = sequence(5, 4);
        double[] expected = torchOutputs(file, inputs);
        SeriesState series = forecaster.newSeries();
        for (int t = 0; t < 5; t++) {
            double forecast = forecaster.observe(series, java.util.Arrays.copyOfRange(inputs, t * 4, t * 4 + 4), Double.NaN);
            assertThat(forecast).isCloseTo(expected[t], within(TOLERANCE));
        }
    }

    private static double[] sequence(int steps, int size) {
        double[] v = new double[steps * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(0.7 * i) * 1.3;
        }
        return v;
    }

    /** Head outputs at every step from a zero state, as the checker computes them. */
    private static double[] outputs(GruModel model, double[] inputs) {
        GruConfig c = model.config();
        int steps = inputs.length / c.inputSize();
        double[] state = model.newState();
        double[] out = new double[c.outputs()];
        double[] all = new double[steps * c.outputs()];
        var ws = model.newWorkspace();
        for (int t = 0; t < steps; t++) {
            model.step(state, java.util.Arrays.copyOfRange(inputs, t * c.inputSize(), (t + 1) * c.inputSize()), out, ws);
            System.arraycopy(out, 0, all, t * c.outputs(), c.outputs());
        }
        return all;
    }

    private static double[] torchOutputs(Path file, double[] inputs) throws Exception {
        StringJoiner values = new StringJoiner(",");
        for (double v : inputs) {
            values.add(Double.toString(v));
        }
        String output = run(List.of("/usr/bin/python3", PYTHON_DIR.resolve("check_streamgru_safetensors.py").toString(),
                file.toString(), "--outputs-for", values.toString()));
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
        throw new AssertionError("checker printed no OUTPUTS line:\n" + output);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("command failed: " + command.get(command.size() - 1) + "\n" + output);
        }
        return output;
    }
}
