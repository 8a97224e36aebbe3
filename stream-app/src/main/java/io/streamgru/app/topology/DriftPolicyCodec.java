package io.streamgru.app.topology;

import io.streamgru.model.drift.DriftPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@link DriftPolicy}'s state as bytes in the optimizer's store: its exported numbers,
 * little-endian float64, nothing else (the policy's kind and parameters are configuration).
 */
public final class DriftPolicyCodec {

    private DriftPolicyCodec() {
    }

    public static byte[] encode(DriftPolicy policy) {
        double[] state = policy.exportState();
        ByteBuffer b = ByteBuffer.allocate(8 * state.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : state) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** The numbers of an encoded state. */
    public static double[] decode(byte[] bytes) {
        if (bytes.length % 8 != 0) {
            throw new IllegalArgumentException("a drift policy state is whole float64s, got " + bytes.length + " bytes");
        }
        double[] state = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(state);
        return state;
    }

    /**
     * Restores {@code policy} from {@code bytes}.
     *
     * @throws IllegalArgumentException when the bytes are not a policy state (the policy is unchanged)
     */
    public static void restore(byte[] bytes, DriftPolicy policy) {
        policy.importState(decode(bytes));
    }
}
