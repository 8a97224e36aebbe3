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
                .hidden(7).layers(2).chunk(8).window(8).linearLags(LearnerConfig.Defaults.LINEAR_LAGS).build());
        SeriesState series = forecaster.newSeries();
        for (int t = 0; t < 400; t++) {
            forecaster.observe(series, new double[] {Math.sin(0.1 * t), Math.cos(0.03 * t)}, Math.sin(0.1 * t + 1));
        }
        Path file = dir.resolve("streamgru.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsModel.write(forecaster, out);
        }
        double[] inputs = sequence(6, forecaster.config().inputSize());
        double[] linear = sequence(6, forecaster.config().linearInputs());

        double[] torchOutputs = torchOutputs(file, inputs, linear);

        assertThat(forecaster.model().layout().has("highway.weight")).isTrue();
        assertThat(torchOutputs).containsExactly(outputs(forecaster.model(), inputs, linear), within(TOLERANCE));
    }

    @Test
    void linearPathOutputsAreReproducedByPyTorchFromTheFileAndTheDocumentedWindow() throws Exception {
        // A trained forecaster with a linear path; the path's inputs built as the docs describe.
        OnlineForecaster forecaster = new OnlineForecaster(LearnerConfig.builder().features(1).horizon(1)
                .hidden(5).linearLags(4).chunk(8).window(8).build());
        SeriesState series = forecaster.newSeries();
        for (int t = 0; t < 300; t++) {
            forecaster.observe(series, new double[] {Math.cos(0.05 * t)}, Math.sin(0.1 * t));
        }
        Path file = dir.resolve("linear.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsModel.write(forecaster, out);
        }
        // Six steps of model inputs (features, last target, last change); the path reads each step's
        // inputs, then the change inputs of the steps before it, newest first (0 before the first).
        LearnerConfig c = forecaster.config();
        int size = c.inputSize();
        int width = c.linearInputs();
        double[] inputs = sequence(6, size);
        double[] linear = new double[6 * width];
        double[] earlier = new double[c.linearLags() - 1]; // changes before the step, newest first
        for (int t = 0; t < 6; t++) {
            System.arraycopy(inputs, t * size, linear, t * width, size);
            System.arraycopy(earlier, 0, linear, t * width + size, earlier.length);
            System.arraycopy(earlier, 0, earlier, 1, earlier.length - 1);
            earlier[0] = inputs[t * size + c.features() + 1];
        }

        assertThat(torchOutputs(file, inputs, linear))
                .containsExactly(outputs(forecaster.model(), inputs, linear), within(TOLERANCE));
    }

    @Test
    void chunkGradientWithTheLinearPathEqualsPyTorchAutograd() throws Exception {
        LearnerConfig c = LearnerConfig.builder().features(2).horizon(1).hidden(4).layers(2).linearLags(3).build();
        GruConfig shape = c.gruConfig();
        java.util.Random random = new java.util.Random(7);
        double[] params = new double[new io.streamgru.model.gru.ParameterLayout(shape).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = random.nextGaussian() * 0.4;
        }
        int steps = 5;
        double[] inputs = gaussian(random, steps * shape.inputSize());
        double[] linear = gaussian(random, steps * shape.linearInputs());
        double[] targets = gaussian(random, steps);
        double[] start = gaussian(random, shape.stateSize());
        boolean[] labelled = new boolean[steps];
        java.util.Arrays.fill(labelled, true);
        GruModel model = new GruModel(shape, params);
        double[] gradient = new double[params.length];
        double loss = new io.streamgru.model.gru.TruncatedBptt(shape, steps).run(model, start, inputs, linear, targets,
                labelled, steps, io.streamgru.model.loss.Loss.named("mse", 1.0), gradient, new double[start.length]);
        Path file = dir.resolve("gradient.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsModel.write(c, params, new double[0], new double[0], 0, 0, java.util.Map.of(), out);
        }

        String output = run(List.of("/usr/bin/python3", PYTHON_DIR.resolve("chunk_gradient.py").toString(),
                file.toString(), "--inputs=" + csv(inputs), "--linear=" + csv(linear), "--targets=" + csv(targets),
                "--start=" + csv(start)));

        int checked = 0;
        for (String line : output.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts[0].equals("LOSS")) {
                assertThat(Double.parseDouble(parts[1])).isCloseTo(loss, within(TOLERANCE));
            } else if (parts[0].equals("GRAD")) {
                var tensor = model.layout().tensor(parts[1]);
                double[] torch = new double[parts.length - 2];
                for (int i = 0; i < torch.length; i++) {
                    torch[i] = Double.parseDouble(parts[i + 2]);
                }
                assertThat(torch).as(parts[1]).containsExactly(java.util.Arrays.copyOfRange(gradient,
                        tensor.offset(), tensor.offset() + tensor.size()), within(TOLERANCE));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(model.layout().tensors().size());
    }

    private static double[] gaussian(java.util.Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static String csv(double[] values) {
        StringJoiner j = new StringJoiner(",");
        for (double v : values) {
            j.add(Double.toString(v));
        }
        return j.toString();
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

        assertThat(outputs(model, inputs, null)).containsExactly(torchOutputs(file, inputs, null), within(TOLERANCE));
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
        double[] expected = torchOutputs(file, inputs, null);
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

    /** Outputs (head plus linear path) at every step from a zero state, as the checker computes them. */
    private static double[] outputs(GruModel model, double[] inputs, double[] linear) {
        GruConfig c = model.config();
        int steps = inputs.length / c.inputSize();
        double[] state = model.newState();
        double[] out = new double[c.outputs()];
        double[] all = new double[steps * c.outputs()];
        var ws = model.newWorkspace();
        for (int t = 0; t < steps; t++) {
            double[] x = java.util.Arrays.copyOfRange(inputs, t * c.inputSize(), (t + 1) * c.inputSize());
            if (c.hasLinearPath()) {
                model.step(state, x, java.util.Arrays.copyOfRange(linear, t * c.linearInputs(),
                        (t + 1) * c.linearInputs()), out, ws);
            } else {
                model.step(state, x, out, ws);
            }
            System.arraycopy(out, 0, all, t * c.outputs(), c.outputs());
        }
        return all;
    }

    private static double[] torchOutputs(Path file, double[] inputs, double[] linear) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3",
                PYTHON_DIR.resolve("check_streamgru_safetensors.py").toString(), file.toString(),
                "--outputs-for", csv(inputs)));
        if (linear != null) {
            command.add("--linear-for=" + csv(linear));
        }
        String output = run(command);
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
