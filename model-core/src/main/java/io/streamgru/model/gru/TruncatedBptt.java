package io.streamgru.model.gru;

import io.streamgru.model.loss.Loss;
import java.util.Arrays;

/**
 * Truncated backpropagation through time over one chunk of up to {@code maxSteps} steps of one
 * series: forward from the chunk's start state with the given model, loss at the labelled steps,
 * backward through the chunk only. Parameter gradients are ADDED into a caller-owned buffer (so
 * chunks of many series accumulate into one window), the chunk's end state is written out (the
 * hidden state carries across chunks; gradients do not), and ∂loss/∂start-state is kept.
 *
 * <p>One instance per thread; all caches are allocated up front, so a run allocates nothing.
 */
public final class TruncatedBptt {

    private final GruConfig config;
    private final int maxSteps;
    private final int h;
    private final int layers;
    private final int outputs;
    private final int headWidth;

    // Caches indexed [(t * layers + l) * h + i]; headU [t * headWidth + i]; y and dy [t * outputs + i].
    private final double[] hs;
    private final double[] r;
    private final double[] z;
    private final double[] n;
    private final double[] ghn;
    private final double[] headU;
    private final double[] y;
    private final double[] dy;

    private final double[] gi;
    private final double[] gh;
    private final double[] du;
    private final double[] dhCarry;
    private final double[] dhPrev;
    private final double[] startGradient;

    private int lastSteps;
    private int lastSamples;

    public TruncatedBptt(GruConfig config, int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        }
        this.config = config;
        this.maxSteps = maxSteps;
        this.h = config.hiddenSize();
        this.layers = config.layers();
        this.outputs = config.outputs();
        this.headWidth = Math.max(1, config.headHidden());
        int states = maxSteps * layers * h;
        hs = new double[states];
        r = new double[states];
        z = new double[states];
        n = new double[states];
        ghn = new double[states];
        headU = new double[maxSteps * headWidth];
        y = new double[maxSteps * outputs];
        dy = new double[maxSteps * outputs];
        gi = new double[3 * h];
        gh = new double[3 * h];
        du = new double[headWidth];
        dhCarry = new double[layers * h];
        dhPrev = new double[h];
        startGradient = new double[layers * h];
    }

    public int maxSteps() {
        return maxSteps;
    }

    /**
     * Runs forward and backward over one chunk.
     *
     * @param model      the current model (its parameters are read, not changed)
     * @param startState the state before the chunk's first step ({@code stateSize()} values)
     * @param inputs     {@code steps × inputSize} inputs, row after row
     * @param targets    {@code steps × loss.targetWidth(outputs)} targets; ignored where not labelled
     * @param labelled   which steps have a target (a loss term); e.g. only the last for many-to-one
     * @param steps      chunk length, 1..maxSteps
     * @param loss       the per-step loss
     * @param gradient   buffer of {@code layout.size()} that parameter gradients are added into
     * @param endState   receives the state after the last step (may be {@code startState})
     * @return the sum of the per-step losses over the labelled steps
     */
    public double run(GruModel model, double[] startState, double[] inputs, double[] targets, boolean[] labelled,
                      int steps, Loss loss, double[] gradient, double[] endState) {
        if (steps < 1 || steps > maxSteps) {
            throw new IllegalArgumentException("steps must be in [1, " + maxSteps + "], got " + steps);
        }
        if (!model.config().equals(config)) {
            throw new IllegalArgumentException("model config " + model.config() + " differs from " + config);
        }
        double[] p = model.parameters();
        OutputHead head = model.head();
        int inSize = config.inputSize();
        int tw = loss.targetWidth(outputs);
        int stride = layers * h;

        double lossSum = 0;
        int samples = 0;
        for (int t = 0; t < steps; t++) {
            int base = t * stride;
            for (int l = 0; l < layers; l++) {
                double[] input = l == 0 ? inputs : hs;
                int inputOff = l == 0 ? t * inSize : base + (l - 1) * h;
                double[] prev = t == 0 ? startState : hs;
                int prevOff = t == 0 ? l * h : base - stride + l * h;
                int off = base + l * h;
                model.cell(l).forward(p, input, inputOff, prev, prevOff, gi, gh, r, z, n, ghn, off, hs, off);
            }
            head.forward(p, hs, base + (layers - 1) * h, headU, t * headWidth, y, t * outputs);
            if (labelled[t]) {
                lossSum += loss.evaluate(y, t * outputs, outputs, targets, t * tw, dy, t * outputs);
                samples++;
            }
        }

        Arrays.fill(dhCarry, 0.0);
        for (int t = steps - 1; t >= 0; t--) {
            int base = t * stride;
            if (labelled[t]) {
                head.backward(p, hs, base + (layers - 1) * h, headU, t * headWidth, dy, t * outputs, du,
                        gradient, dhCarry, (layers - 1) * h);
            }
            for (int l = layers - 1; l >= 0; l--) {
                double[] input = l == 0 ? inputs : hs;
                int inputOff = l == 0 ? t * inSize : base + (l - 1) * h;
                double[] prev = t == 0 ? startState : hs;
                int prevOff = t == 0 ? l * h : base - stride + l * h;
                int off = base + l * h;
                // ∂L/∂x of layer l is ∂L/∂h of layer l−1 at the same step: add it straight into the carry.
                model.cell(l).backward(p, input, inputOff, prev, prevOff, r, z, n, ghn, off,
                        dhCarry, l * h, gi, gh, gradient,
                        l == 0 ? null : dhCarry, (l - 1) * h, dhPrev, 0);
                System.arraycopy(dhPrev, 0, dhCarry, l * h, h);
            }
        }
        System.arraycopy(dhCarry, 0, startGradient, 0, stride);
        System.arraycopy(hs, (steps - 1) * stride, endState, 0, stride);
        lastSteps = steps;
        lastSamples = samples;
        return lossSum;
    }

    /** ∂loss/∂(start state) of the last run; valid until the next run. */
    public double[] startStateGradient() {
        return startGradient;
    }

    /** Head outputs of the last run, {@code steps × outputs}; valid until the next run. */
    public double[] outputs() {
        return y;
    }

    /** Number of labelled steps (loss terms, i.e. samples) in the last run. */
    public int samples() {
        return lastSamples;
    }

    /** Chunk length of the last run. */
    public int steps() {
        return lastSteps;
    }
}
