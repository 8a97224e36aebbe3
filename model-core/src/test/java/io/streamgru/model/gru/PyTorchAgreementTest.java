package io.streamgru.model.gru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamgru.model.loss.Loss;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model is PyTorch's: given PyTorch's parameters, start state and inputs, {@link GruModel#step}
 * and {@link TruncatedBptt#run} reproduce what PyTorch (float64) computed for the same chunk —
 * every layer's hidden state, the head's outputs, the loss, every parameter's gradient and the
 * gradient with respect to the start state — to 1e-9.
 *
 * <p>Fixtures: {@code src/test/resources/fixtures/torch/*.txt}, written by
 * {@code src/test/python/make_torch_fixtures.py} with Debian's python3-torch (see that script).
 */
class PyTorchAgreementTest {

    static final Offset<Double> TOLERANCE = within(1e-9);

    static final List<String> CASES = List.of(
            "linear_1layer_mse",
            "linear_2layer_mse_last",
            "mlp_2layer_mse",
            "mlp_2layer_cross_entropy_last",
            "linear_2layer_huber",
            "linear_1layer_l1_sparse");

    private static final Map<String, TorchFixture> LOADED = new ConcurrentHashMap<>();

    static TorchFixture fixture(String name) {
        return LOADED.computeIfAbsent(name, n -> TorchFixture.resource("/fixtures/torch/" + n + ".txt"));
    }

    static List<String> cases() {
        return CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameterLayoutIsPyTorchsStateDict(String name) {
        TorchFixture f = fixture(name);
        ParameterLayout layout = new ParameterLayout(f.gruConfig());

        List<String> ours = layout.tensors().stream()
                .map(t -> t.name() + ":" + String.join("x", Arrays.stream(t.shape()).mapToObj(String::valueOf).toList()))
                .toList();
        assertThat(ours).containsExactly(f.text("state_dict").split(" "));
        assertThat(f.array("parameters")).hasSize(layout.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void steppingFromH0ReproducesEveryLayersHiddenStateAndTheOutputsAtEveryStep(String name) {
        TorchFixture f = fixture(name);
        GruModel model = new GruModel(f.gruConfig(), f.array("parameters"));
        int steps = f.integer("steps");
        double[] state = f.array("h0");
        double[] out = new double[model.config().outputs()];
        StepWorkspace ws = model.newWorkspace();

        for (int t = 0; t < steps; t++) {
            model.step(state, f.row("inputs", t), out, ws);

            assertThat(state).as("hidden state (all layers) after step %d", t)
                    .containsExactly(f.row("expected.hidden", t), TOLERANCE);
            assertThat(out).as("outputs at step %d", t)
                    .containsExactly(f.row("expected.outputs", t), TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void truncatedBpttReproducesTheLossEveryParameterGradientAndTheStartStateGradient(String name) {
        TorchFixture f = fixture(name);
        Chunk chunk = new Chunk(f);
        double[] gradient = new double[chunk.model.layout().size()];
        double[] endState = new double[chunk.model.config().stateSize()];

        double lossSum = chunk.run(gradient, endState);

        assertThat(lossSum).as("loss summed over labelled steps").isCloseTo(f.scalar("expected.loss_sum"), TOLERANCE);
        double[] expectedGradient = f.array("expected.parameters.grad");
        for (TensorView tensor : chunk.model.layout().tensors()) {
            assertThat(slice(gradient, tensor)).as("gradient of %s", tensor.name())
                    .containsExactly(slice(expectedGradient, tensor), TOLERANCE);
        }
        assertThat(chunk.bptt.startStateGradient()).as("d loss / d h0 (layer after layer)")
                .containsExactly(f.array("expected.h0.grad"), TOLERANCE);
        assertThat(endState).as("end state")
                .containsExactly(f.row("expected.hidden", chunk.steps - 1), TOLERANCE);
        assertThat(Arrays.copyOf(chunk.bptt.outputs(), chunk.steps * chunk.model.config().outputs()))
                .as("outputs cached by the run").containsExactly(f.array("expected.outputs"), TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsAreAddedIntoTheCallersBufferSoTwoRunsGiveTwicePyTorchsGradient(String name) {
        TorchFixture f = fixture(name);
        Chunk chunk = new Chunk(f);
        double[] gradient = new double[chunk.model.layout().size()];
        double[] endState = new double[chunk.model.config().stateSize()];

        chunk.run(gradient, endState);
        chunk.run(gradient, endState);

        double[] twice = f.array("expected.parameters.grad");
        for (int i = 0; i < twice.length; i++) {
            twice[i] *= 2;
        }
        assertThat(gradient).containsExactly(twice, within(2e-9));
    }

    /** One fixture's chunk, ready to run through truncated BPTT. */
    private static final class Chunk {
        final GruModel model;
        final TruncatedBptt bptt;
        final int steps;
        final double[] h0;
        final double[] inputs;
        final double[] targets;
        final boolean[] labelled;
        final Loss loss;

        Chunk(TorchFixture f) {
            GruConfig config = f.gruConfig();
            model = new GruModel(config, f.array("parameters"));
            steps = f.integer("steps");
            bptt = new TruncatedBptt(config, steps);
            h0 = f.array("h0");
            inputs = f.array("inputs");
            targets = f.array("targets");
            labelled = f.mask("labelled");
            loss = Loss.named(f.text("loss"), f.has("loss.huber_delta") ? f.number("loss.huber_delta") : 1.0);
        }

        double run(double[] gradient, double[] endState) {
            return bptt.run(model, h0, inputs, targets, labelled, steps, loss, gradient, endState);
        }
    }

    static double[] slice(double[] flat, TensorView tensor) {
        return Arrays.copyOfRange(flat, tensor.offset(), tensor.offset() + tensor.size());
    }
}
