package io.streamgru.model.gru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named tensor lives in a model's one flat parameter array. Names, shapes and order are
 * PyTorch's {@code state_dict()} of a module with attributes {@code gru} ({@code nn.GRU}) and
 * {@code head} ({@code nn.Linear}, or {@code nn.Sequential(Linear, ReLU, Linear)} for the MLP head),
 * so gradients, optimizer moments and files share one layout. A model with a linear path beside
 * the GRU ({@link GruConfig#linearInputs()}) adds {@value #LINEAR_WEIGHT} last: PyTorch's
 * {@code highway = nn.Linear(linearInputs, outputs, bias=False)} (the head's bias serves both).
 */
public final class ParameterLayout {

    /** The linear path's weight, [outputs, linearInputs] (LSTNet's "highway"). */
    public static final String LINEAR_WEIGHT = "highway.weight";

    private final GruConfig config;
    private final List<TensorView> tensors;
    private final Map<String, TensorView> byName;
    private final int size;

    // Offsets of the hot tensors, precomputed so kernels index plain ints.
    private final int[] weightIh;
    private final int[] weightHh;
    private final int[] biasIh;
    private final int[] biasHh;
    private final int headWeight;
    private final int headBias;
    private final int head2Weight;
    private final int head2Bias;
    private final int linearWeight;

    public ParameterLayout(GruConfig config) {
        this.config = config;
        List<TensorView> list = new ArrayList<>();
        int offset = 0;
        int layers = config.layers();
        int h = config.hiddenSize();
        weightIh = new int[layers];
        weightHh = new int[layers];
        biasIh = new int[layers];
        biasHh = new int[layers];
        for (int l = 0; l < layers; l++) {
            int in = config.layerInputSize(l);
            weightIh[l] = offset;
            offset = add(list, "gru.weight_ih_l" + l, offset, 3 * h, in);
            weightHh[l] = offset;
            offset = add(list, "gru.weight_hh_l" + l, offset, 3 * h, h);
            biasIh[l] = offset;
            offset = add(list, "gru.bias_ih_l" + l, offset, 3 * h);
            biasHh[l] = offset;
            offset = add(list, "gru.bias_hh_l" + l, offset, 3 * h);
        }
        if (config.head() == HeadType.LINEAR) {
            headWeight = offset;
            offset = add(list, "head.weight", offset, config.outputs(), h);
            headBias = offset;
            offset = add(list, "head.bias", offset, config.outputs());
            head2Weight = -1;
            head2Bias = -1;
        } else {
            int m = config.headHidden();
            headWeight = offset;
            offset = add(list, "head.0.weight", offset, m, h);
            headBias = offset;
            offset = add(list, "head.0.bias", offset, m);
            head2Weight = offset;
            offset = add(list, "head.2.weight", offset, config.outputs(), m);
            head2Bias = offset;
            offset = add(list, "head.2.bias", offset, config.outputs());
        }
        if (config.hasLinearPath()) {
            linearWeight = offset;
            offset = add(list, LINEAR_WEIGHT, offset, config.outputs(), config.linearInputs());
        } else {
            linearWeight = -1;
        }
        this.size = offset;
        this.tensors = Collections.unmodifiableList(list);
        Map<String, TensorView> map = new LinkedHashMap<>();
        for (TensorView t : list) {
            map.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    private static int add(List<TensorView> list, String name, int offset, int... shape) {
        TensorView view = new TensorView(name, offset, shape);
        list.add(view);
        return offset + view.size();
    }

    public GruConfig config() {
        return config;
    }

    /** Total number of parameters (the flat array's length). */
    public int size() {
        return size;
    }

    /** All tensors in PyTorch {@code state_dict()} order. */
    public List<TensorView> tensors() {
        return tensors;
    }

    /** The tensor with this PyTorch name; throws if there is none. */
    public TensorView tensor(String name) {
        TensorView t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' in " + byName.keySet());
        }
        return t;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public int weightIh(int layer) {
        return weightIh[layer];
    }

    public int weightHh(int layer) {
        return weightHh[layer];
    }

    public int biasIh(int layer) {
        return biasIh[layer];
    }

    public int biasHh(int layer) {
        return biasHh[layer];
    }

    /** {@code head.weight} (linear) or {@code head.0.weight} (MLP). */
    public int headWeight() {
        return headWeight;
    }

    /** {@code head.bias} (linear) or {@code head.0.bias} (MLP). */
    public int headBias() {
        return headBias;
    }

    /** {@code head.2.weight}; -1 for a linear head. */
    public int head2Weight() {
        return head2Weight;
    }

    /** {@value #LINEAR_WEIGHT}; -1 without a linear path. */
    public int linearWeight() {
        return linearWeight;
    }

    /** {@code head.2.bias}; -1 for a linear head. */
    public int head2Bias() {
        return head2Bias;
    }
}
