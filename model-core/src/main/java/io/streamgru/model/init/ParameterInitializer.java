package io.streamgru.model.init;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.HeadType;
import io.streamgru.model.gru.ParameterLayout;
import java.util.Arrays;

/**
 * Initial values for a model's flat parameter array. Every scheme draws from the one explicit seed,
 * tensor by tensor in {@code state_dict} order: the same seed and layout give bit-identical
 * parameters. The values follow the named distributions, not PyTorch's random stream, so they do
 * not match a torch model seeded with the same number.
 */
public enum ParameterInitializer {

    /**
     * PyTorch's defaults: every {@code nn.GRU} weight and bias from U(−1/√H, 1/√H); {@code nn.Linear}
     * weight from kaiming_uniform(a=√5), which is U(−1/√fan_in, 1/√fan_in), and bias from the same range.
     */
    PYTORCH_DEFAULT {
        @Override
        void fill(ParameterLayout layout, double[] params, Sampler sampler) {
            GruConfig c = layout.config();
            int h = c.hiddenSize();
            double bound = 1.0 / Math.sqrt(h);
            for (int l = 0; l < c.layers(); l++) {
                sampler.uniform(params, layout.weightIh(l), 3 * h * c.layerInputSize(l), bound);
                sampler.uniform(params, layout.weightHh(l), 3 * h * h, bound);
                sampler.uniform(params, layout.biasIh(l), 3 * h, bound);
                sampler.uniform(params, layout.biasHh(l), 3 * h, bound);
            }
            forEachHeadLinear(c, layout, (weight, bias, rows, cols) -> {
                double b = 1.0 / Math.sqrt(cols);
                sampler.uniform(params, weight, rows * cols, b);
                sampler.uniform(params, bias, rows, b);
            });
        }
    },

    /**
     * Glorot (Xavier) uniform U(−√(6/(fan_in+fan_out)), +…) for each gate's [H, in] block of
     * {@code weight_ih} and [H, H] block of {@code weight_hh} separately, and for the head weights;
     * zero biases. Per gate, because each gate is its own H-output map: treating the stacked
     * [3H, in] matrix as one would shrink the range as if each gate had 3H outputs.
     */
    XAVIER {
        @Override
        void fill(ParameterLayout layout, double[] params, Sampler sampler) {
            GruConfig c = layout.config();
            int h = c.hiddenSize();
            for (int l = 0; l < c.layers(); l++) {
                glorotGates(params, layout.weightIh(l), h, c.layerInputSize(l), sampler);
                glorotGates(params, layout.weightHh(l), h, h, sampler);
            }
            glorotHead(c, layout, params, sampler);
        }
    },

    /**
     * A random orthogonal [H, H] matrix for each gate's block of {@code weight_hh} (as
     * {@code torch.nn.init.orthogonal_}), so repeated recurrent steps neither grow nor shrink the
     * state at the start; Glorot uniform per gate for {@code weight_ih} and for the head weights;
     * zero biases.
     */
    ORTHOGONAL {
        @Override
        void fill(ParameterLayout layout, double[] params, Sampler sampler) {
            GruConfig c = layout.config();
            int h = c.hiddenSize();
            for (int l = 0; l < c.layers(); l++) {
                glorotGates(params, layout.weightIh(l), h, c.layerInputSize(l), sampler);
                for (int gate = 0; gate < 3; gate++) {
                    OrthogonalMatrix.fill(params, layout.weightHh(l) + gate * h * h, h, sampler);
                }
            }
            glorotHead(c, layout, params, sampler);
        }
    };

    /** Overwrites every entry of {@code params} (laid out by {@code layout}) with initial values. */
    public void initialize(ParameterLayout layout, double[] params, long seed) {
        if (params.length != layout.size()) {
            throw new IllegalArgumentException("params has " + params.length + " entries; the layout needs " + layout.size());
        }
        Arrays.fill(params, 0.0); // schemes that leave biases alone mean zero biases
        fill(layout, params, new Sampler(seed));
    }

    /** A new parameter array for {@code layout}, initialised from {@code seed}. */
    public double[] initialize(ParameterLayout layout, long seed) {
        double[] params = new double[layout.size()];
        initialize(layout, params, seed);
        return params;
    }

    abstract void fill(ParameterLayout layout, double[] params, Sampler sampler);

    /** Glorot uniform for each of the three stacked gate blocks [h, in] of a GRU weight. */
    private static void glorotGates(double[] params, int offset, int h, int in, Sampler sampler) {
        double bound = glorotBound(in, h);
        for (int gate = 0; gate < 3; gate++) {
            sampler.uniform(params, offset + gate * h * in, h * in, bound);
        }
    }

    private static void glorotHead(GruConfig c, ParameterLayout layout, double[] params, Sampler sampler) {
        forEachHeadLinear(c, layout, (weight, bias, rows, cols) ->
                sampler.uniform(params, weight, rows * cols, glorotBound(cols, rows)));
    }

    private static double glorotBound(int fanIn, int fanOut) {
        return Math.sqrt(6.0 / (fanIn + fanOut));
    }

    /** Visits the head's linear layers in {@code state_dict} order: {@code head}, or {@code head.0} then {@code head.2}. */
    private static void forEachHeadLinear(GruConfig c, ParameterLayout layout, LinearVisitor visitor) {
        if (c.head() == HeadType.LINEAR) {
            visitor.visit(layout.headWeight(), layout.headBias(), c.outputs(), c.hiddenSize());
        } else {
            visitor.visit(layout.headWeight(), layout.headBias(), c.headHidden(), c.hiddenSize());
            visitor.visit(layout.head2Weight(), layout.head2Bias(), c.outputs(), c.headHidden());
        }
    }

    /** A linear layer inside the flat array: weight [rows, cols] and bias [rows] offsets. */
    private interface LinearVisitor {
        void visit(int weight, int bias, int rows, int cols);
    }
}
