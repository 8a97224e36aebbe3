package io.streamgru.model.io;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.gru.TensorView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Moves a model's flat parameter array to and from named tensors with PyTorch {@code state_dict}
 * names and shapes (see {@link ParameterLayout}), so a safetensors file loads into
 * {@code module.load_state_dict(strict=True)} and back.
 */
public final class StateDict {

    private StateDict() {
    }

    /** The parameters as F64 tensors, in {@code state_dict} order (copies). */
    public static List<Tensor> toTensors(ParameterLayout layout, double[] params) {
        return toTensors(layout, params, DType.F64);
    }

    /** The parameters as tensors of {@code dtype}, in {@code state_dict} order (copies). */
    public static List<Tensor> toTensors(ParameterLayout layout, double[] params, DType dtype) {
        if (params.length != layout.size()) {
            throw new IllegalArgumentException("params has " + params.length + " entries; the layout needs " + layout.size());
        }
        List<Tensor> tensors = new ArrayList<>(layout.tensors().size());
        for (TensorView v : layout.tensors()) {
            tensors.add(new Tensor(v.name(), dtype, v.shape(), Arrays.copyOfRange(params, v.offset(), v.offset() + v.size())));
        }
        return tensors;
    }

    /**
     * A new flat parameter array for {@code layout} filled from {@code tensors}. Every tensor the
     * layout names must be present with its shape, and no other may be: otherwise throws, listing
     * every missing, mis-shaped and unexpected name at once.
     */
    public static double[] fromTensors(ParameterLayout layout, Map<String, Tensor> tensors) {
        check(layout, tensors);
        double[] params = new double[layout.size()];
        for (TensorView v : layout.tensors()) {
            System.arraycopy(tensors.get(v.name()).data(), 0, params, v.offset(), v.size());
        }
        return params;
    }

    /**
     * The model shape a PyTorch {@code state_dict} implies: input and hidden size from
     * {@code gru.weight_ih_l0} [3H, I], the layer count from the {@code gru.*_l<k>} names, and a
     * linear head ({@code head.weight} [outputs, H]) or an MLP head ({@code head.0.weight}
     * [hidden, H], {@code head.2.weight} [outputs, hidden]). The returned config's layout matches
     * {@code tensors} exactly, or this throws saying why.
     */
    public static GruConfig inferConfig(Map<String, Tensor> tensors) {
        for (String name : tensors.keySet()) {
            if (name.startsWith("gru.") && name.endsWith("_reverse")) {
                throw new IllegalArgumentException("'" + name + "': bidirectional GRUs are not supported");
            }
        }
        Tensor ih0 = tensors.get("gru.weight_ih_l0");
        if (ih0 == null || ih0.rank() != 2 || ih0.dim(0) == 0 || ih0.dim(0) % 3 != 0) {
            throw new IllegalArgumentException("expected 'gru.weight_ih_l0' of shape [3*hidden, inputs] to infer the "
                    + "model, found " + (ih0 == null ? "no such tensor" : Arrays.toString(ih0.shape()))
                    + "; tensors: " + tensors.keySet());
        }
        int hidden = ih0.dim(0) / 3;
        int inputs = ih0.dim(1);
        int layers = 1;
        while (tensors.containsKey("gru.weight_ih_l" + layers)) {
            layers++;
        }
        GruConfig config;
        Tensor linear = tensors.get("head.weight");
        Tensor first = tensors.get("head.0.weight");
        Tensor second = tensors.get("head.2.weight");
        if (linear != null && linear.rank() == 2) {
            config = GruConfig.linear(inputs, hidden, layers, linear.dim(0));
        } else if (first != null && second != null && first.rank() == 2 && second.rank() == 2) {
            config = GruConfig.mlp(inputs, hidden, layers, second.dim(0), first.dim(0));
        } else {
            throw new IllegalArgumentException("expected a head: 'head.weight' [outputs, hidden] (linear) or "
                    + "'head.0.weight' and 'head.2.weight' (MLP); tensors: " + tensors.keySet());
        }
        check(new ParameterLayout(config), tensors);
        return config;
    }

    private static void check(ParameterLayout layout, Map<String, Tensor> tensors) {
        List<String> problems = new ArrayList<>();
        for (TensorView v : layout.tensors()) {
            Tensor t = tensors.get(v.name());
            if (t == null) {
                problems.add("missing " + v.name() + Arrays.toString(v.shape()));
            } else if (!t.hasShape(v.shape())) {
                problems.add(v.name() + " has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(v.shape()));
            }
        }
        for (String name : tensors.keySet()) {
            if (!layout.has(name)) {
                problems.add("unexpected " + name + Arrays.toString(tensors.get(name).shape()));
            }
        }
        if (!problems.isEmpty()) {
            GruConfig c = layout.config();
            throw new IllegalArgumentException("tensors do not match the model " + c + ": " + String.join("; ", problems));
        }
    }
}
