package io.streamgru.model.optim;

/**
 * Where truncated BPTT puts one chunk's gradient: the caller adds the chunk's gradient sum into
 * {@link #chunkGradient()}, then calls {@link #commitChunk}. Implemented by the in-process
 * {@link GradientAccumulator} (which steps an optimizer) and by the window a streaming task fills
 * before it publishes a gradient batch.
 */
public interface GradientSink {

    /**
     * The zeroed buffer one chunk's gradient sum is added into. Fetch it for every chunk: after a
     * {@link #commitChunk} it may be another array (a {@link GradientWindow} swaps buffers).
     */
    double[] chunkGradient();

    /**
     * Takes the chunk if its loss and gradient are finite, else drops and counts it; the buffer is
     * zeroed either way.
     *
     * @return whether the chunk was accepted
     */
    boolean commitChunk(double lossSum, int samples);
}
