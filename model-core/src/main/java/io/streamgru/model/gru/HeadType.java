package io.streamgru.model.gru;

/** The output head on top of the last GRU layer. */
public enum HeadType {
    /** {@code head}: one linear layer from the hidden state to the outputs (PyTorch {@code nn.Linear}). */
    LINEAR,
    /** {@code head.0} linear, {@code head.1} ReLU, {@code head.2} linear (PyTorch {@code nn.Sequential}). */
    MLP
}
