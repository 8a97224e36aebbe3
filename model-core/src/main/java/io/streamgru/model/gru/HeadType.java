package io.streamgru.model.gru;

/** The output head on top of the last GRU layer. */
public enum HeadType {
    /** {@code head}: one linear layer from the hidden state to the outputs (PyTorch {@code nn.Linear}). */
    LINEAR,
    /** {@code head.0} linear, {@code head.1} ReLU, {@code head.2} linear (PyTorch {@code nn.Sequential}). */
    MLP;

    /** The head for a config/CLI name: {@code linear} or {@code mlp} (case-insensitive). */
    public static HeadType named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "linear" -> LINEAR;
            case "mlp" -> MLP;
            default -> throw new IllegalArgumentException("must be one of linear, mlp");
        };
    }
}
