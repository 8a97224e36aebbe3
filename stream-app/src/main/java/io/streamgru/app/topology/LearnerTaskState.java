package io.streamgru.app.topology;

import java.nio.ByteBuffer;

/**
 * What a learner task knows beyond its keys' states and must keep across restarts, stored in its
 * {@code learner-state} store under {@link #KEY} (changelogged, so a task restored on another
 * instance continues with it): the running typical chunk-gradient norm that
 * {@code learner.chunk.influence} caps each chunk against. Without it a restarted task would learn
 * its first chunk uncapped and take that chunk, however wild, as the typical one.
 *
 * <p>Format 1: one format byte, then the norm as a big-endian float64 (9 bytes).
 *
 * @param typicalChunkNorm the task's typical chunk-gradient norm per labelled sample, 0 before its first chunk
 */
public record LearnerTaskState(double typicalChunkNorm) {

    /** The one entry's key in the task's store. */
    public static final String KEY = "task";
    static final byte FORMAT = 1;
    private static final int SIZE = 1 + Double.BYTES;

    public LearnerTaskState {
        if (!(typicalChunkNorm >= 0) || Double.isInfinite(typicalChunkNorm)) {
            throw new IllegalArgumentException("typical chunk norm must be finite and >= 0, got " + typicalChunkNorm);
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).put(FORMAT).putDouble(typicalChunkNorm).array();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a state of format 1 (e.g. written by a newer release)
     */
    public static LearnerTaskState decode(byte[] bytes) {
        if (bytes.length < 1 || bytes[0] != FORMAT) {
            throw new IllegalArgumentException("learner task state of format "
                    + (bytes.length < 1 ? "?" : Integer.toString(bytes[0])) + ", this release reads format " + FORMAT);
        }
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("learner task state of " + bytes.length + " bytes, format 1 has " + SIZE);
        }
        return new LearnerTaskState(ByteBuffer.wrap(bytes, 1, Double.BYTES).getDouble());
    }
}
