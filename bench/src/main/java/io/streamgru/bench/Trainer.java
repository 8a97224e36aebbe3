package io.streamgru.bench;

import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.PreparedModel;
import io.streamgru.model.optim.Adam;
import io.streamgru.model.optim.ConstantRate;
import io.streamgru.model.optim.GradientAccumulator;

/**
 * Gradient accumulation and the optimizer step with the real model-core classes:
 * {@link GradientAccumulator} (W samples per step, mean gradient) driving {@link Adam} with
 * torch's defaults at lr 1e-3, no clipping (the PyTorch script does not clip either). After every
 * optimizer step the {@link PreparedModel} used for forecasts, if any, is refreshed (its cost is
 * part of the measured work).
 */
final class Trainer {

    static final double LEARNING_RATE = 1e-3;

    private final GruModel model;
    private final GradientAccumulator accumulator;
    private final double[] scratch;
    private final PreparedModel prepared;

    Trainer(GruModel model, int window, PreparedModel prepared) {
        this.model = model;
        this.prepared = prepared;
        int n = model.parameters().length;
        this.accumulator = new GradientAccumulator(n, window, new Adam(n), new ConstantRate(LEARNING_RATE), 0.0);
        this.scratch = new double[n];
    }

    double[] chunkGradient() {
        return accumulator.chunkGradient();
    }

    /** A gradient buffer that is never committed (for the forward + backward-only breakdown). */
    double[] scratchGradient() {
        return scratch;
    }

    void commitChunk(double lossSum, int chunkSamples) {
        accumulator.commitChunk(lossSum, chunkSamples);
        if (accumulator.ready()) {
            accumulator.step(model.parameters());
            if (prepared != null) {
                prepared.refresh();
            }
        }
    }

    /** One optimizer step as the window would take it (a window of one sample with a zero gradient). */
    void forceStep() {
        accumulator.commitChunk(0.0, 1);
        accumulator.step(model.parameters());
        if (prepared != null) {
            prepared.refresh();
        }
    }
}
