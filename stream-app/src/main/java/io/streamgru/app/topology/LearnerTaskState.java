package io.streamgru.app.topology;

import java.nio.ByteBuffer;

/**
 * What a learner task knows beyond its keys' states and must keep across restarts, stored in its
 * {@code learner-state} store under {@link #KEY} (changelogged, so a task restored on another
 * instance continues with it, consistent with its keys' states: both are committed together):
 * <ul>
 *   <li>the running typical chunk-gradient norm that {@code learner.chunk.influence} caps each chunk
 *       against. Without it a restarted task would learn its first chunk uncapped and take that
 *       chunk, however wild, as the typical one;</li>
 *   <li>how many keys its {@code key-state} store holds, for the keys gauge: RocksDB's estimate is
 *       far off after a restore (it counts the changelog's writes), and a count by scan would read
 *       every state while the group rebalances.</li>
 * </ul>
 *
 * <p>Format 1: one format byte, the norm as a big-endian float64, the key count as a big-endian
 * int64 (17 bytes).
 *
 * @param typicalChunkNorm the task's typical chunk-gradient norm per labelled sample, 0 before its first chunk
 * @param keys             keys in the task's key-state store, or {@link #UNKNOWN_KEYS} (written by
 *                         {@code replay}, which does not know what the store held before)
 */
public record LearnerTaskState(double typicalChunkNorm, long keys) {

    /** The one entry's key in the task's store. */
    public static final String KEY = "task";
    /** A key count not known to the writer: the task counts its store when it opens. */
    public static final long UNKNOWN_KEYS = -1;
    static final byte FORMAT = 1;
    private static final int SIZE = 1 + Double.BYTES + Long.BYTES;

    public LearnerTaskState {
        if (!(typicalChunkNorm >= 0) || Double.isInfinite(typicalChunkNorm)) {
            throw new IllegalArgumentException("typical chunk norm must be finite and >= 0, got " + typicalChunkNorm);
        }
        if (keys < UNKNOWN_KEYS) {
            throw new IllegalArgumentException("key count must be >= 0 (or -1: unknown), got " + keys);
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).put(FORMAT).putDouble(typicalChunkNorm).putLong(keys).array();
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
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIZE - 1);
        return new LearnerTaskState(b.getDouble(), b.getLong());
    }
}
