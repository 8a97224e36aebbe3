package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.TensorView;
import io.streamgru.model.gru.TorchFixture;
import io.streamgru.model.gru.TruncatedBptt;
import io.streamgru.model.loss.Loss;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Training with truncated BPTT is PyTorch's training loop: one series cut into chunks of k steps,
 * the hidden state carried across chunks without gradient, each chunk's gradient added into a
 * window, and whenever the window holds W samples the mean gradient is clipped to a global norm and
 * Adam takes a step. Replayed from PyTorch's initial parameters, the parameters after every
 * optimizer step equal PyTorch's (float64) to 1e-9.
 *
 * <p>Fixture: {@code src/test/resources/fixtures/torch/tbptt_training_run.txt}, written by
 * {@code src/test/python/make_torch_fixtures.py}.
 */
class TruncatedBpttTrainingAgreementTest {

    private static final Offset<Double> TOLERANCE = within(1e-9);

    private final TorchFixture run = TorchFixture.resource("/fixtures/torch/tbptt_training_run.txt");

    @Test
    void chunkedTrainingWithAccumulationClippingAndAdamMatchesPyTorchAfterEveryStep() {
        GruConfig config = run.gruConfig();
        double[] params = run.array("parameters.initial");
        GruModel model = new GruModel(config, params);
        int size = model.layout().size();
        int chunkSteps = run.integer("chunk_steps");
        Adam adam = new Adam(size, run.number("adam.beta1"), run.number("adam.beta2"), run.number("adam.eps"), 0.0);
        GradientAccumulator accumulator = new GradientAccumulator(size, run.integer("window_samples"), adam,
                new ConstantRate(run.number("adam.lr")), run.number("clip.max_norm"));
        TruncatedBptt bptt = new TruncatedBptt(config, chunkSteps);
        Loss mse = Loss.named(run.text("loss"), 1.0);

        int seriesLength = run.shape("inputs")[0];
        double[] inputs = run.array("inputs");
        double[] targets = run.array("targets");
        int in = config.inputSize();
        int out = config.outputs();
        double[] state = model.newState();
        boolean[] labelled = new boolean[chunkSteps];
        Arrays.fill(labelled, true);
        double[] expectedAfterChunk = run.array("expected.steps.after_chunk");
        int optimizerSteps = 0;

        int chunks = 0;
        for (int start = 0; start < seriesLength; start += chunkSteps) {
            int steps = Math.min(chunkSteps, seriesLength - start);
            double lossSum = bptt.run(model, state,
                    Arrays.copyOfRange(inputs, start * in, (start + steps) * in),
                    Arrays.copyOfRange(targets, start * out, (start + steps) * out),
                    labelled, steps, mse, accumulator.chunkGradient(), state);

            assertThat(lossSum).as("loss sum of chunk %d", chunks)
                    .isCloseTo(run.array("expected.chunk.loss_sum")[chunks], TOLERANCE);
            assertThat(state).as("hidden state carried out of chunk %d", chunks)
                    .containsExactly(run.row("expected.chunk.end_hidden", chunks), TOLERANCE);
            assertThat(accumulator.commitChunk(lossSum, bptt.samples())).isTrue();
            chunks++;

            if (accumulator.ready()) {
                assertThat(chunks).as("chunks run before optimizer step %d", optimizerSteps + 1)
                        .isEqualTo((int) expectedAfterChunk[optimizerSteps]);

                assertThat(accumulator.step(params)).isEqualTo(StepOutcome.APPLIED);

                assertThat(accumulator.lastGradientNorm()).as("mean gradient norm before clipping, step %d",
                        optimizerSteps + 1).isCloseTo(run.array("expected.steps.grad_norm")[optimizerSteps], TOLERANCE);
                double[] expected = run.row("expected.steps.parameters", optimizerSteps);
                for (TensorView tensor : model.layout().tensors()) {
                    assertThat(slice(params, tensor)).as("%s after optimizer step %d", tensor.name(), optimizerSteps + 1)
                            .containsExactly(slice(expected, tensor), TOLERANCE);
                }
                optimizerSteps++;
            }
        }

        assertThat(chunks).isEqualTo(run.array("expected.chunk.loss_sum").length);
        assertThat(optimizerSteps).as("optimizer steps").isEqualTo(expectedAfterChunk.length);
        assertThat(accumulator.windowSamples()).as("samples left waiting in the last, partial window")
                .isEqualTo(seriesLength - (long) (chunkSteps * expectedAfterChunk[expectedAfterChunk.length - 1]));
    }

    @Test
    void theRunExercisesBothAClippedAndAnUnclippedStep() {
        double maxNorm = run.number("clip.max_norm");
        double[] norms = run.array("expected.steps.grad_norm");

        assertThat(norms).hasSizeGreaterThanOrEqualTo(3);
        assertThat(Arrays.stream(norms).filter(n -> n > maxNorm).count()).as("clipped steps").isPositive();
        assertThat(Arrays.stream(norms).filter(n -> n < maxNorm).count()).as("unclipped steps").isPositive();
        assertThat(run.array("expected.chunk.samples")).endsWith(4.0);
    }

    private static double[] slice(double[] flat, TensorView tensor) {
        return Arrays.copyOfRange(flat, tensor.offset(), tensor.offset() + tensor.size());
    }
}
