package io.streamgru.app.model;

import java.nio.ByteBuffer;

/**
 * Model versions as bytes on the {@code <app>-model} topic (and in the optimizer's store): a magic
 * and format byte, then the fields, doubles as exact little-endian IEEE-754.
 */
public final class ModelVersionCodec {

    private static final int MAGIC = 0x5347_4D56; // "SGMV"
    private static final byte FORMAT = 1;
    private static final double[] NO_OPTIMIZER_STATE = new double[0];

    private ModelVersionCodec() {
    }

    public static byte[] encode(ModelVersion m) {
        int size = 4 + 1 + 8 + BinaryFormat.sizeOf(m.configHash()) + BinaryFormat.sizeOf(m.parameters())
                + BinaryFormat.sizeOf(m.featureStats()) + BinaryFormat.sizeOf(m.targetStats())
                + BinaryFormat.sizeOf(m.optimizerState()) + 8 * 3;
        ByteBuffer b = BinaryFormat.allocate(size);
        b.putInt(MAGIC).put(FORMAT).putLong(m.version());
        BinaryFormat.put(b, m.configHash());
        BinaryFormat.put(b, m.parameters());
        BinaryFormat.put(b, m.featureStats());
        BinaryFormat.put(b, m.targetStats());
        BinaryFormat.put(b, m.optimizerState());
        b.putLong(m.optimizerSteps()).putLong(m.samplesTrained()).putLong(m.createdAt());
        return b.array();
    }

    /** The version number alone, read without decoding the parameters. */
    public static long version(byte[] bytes) {
        ByteBuffer b = header(bytes);
        return b.getLong();
    }

    public static ModelVersion decode(byte[] bytes) {
        ByteBuffer b = header(bytes);
        long version = b.getLong();
        String hash = BinaryFormat.getString(b, "config hash");
        double[] params = BinaryFormat.getDoubles(b, "parameters");
        double[] features = BinaryFormat.getDoubles(b, "feature statistics");
        double[] target = BinaryFormat.getDoubles(b, "target statistics");
        double[] optimizer = BinaryFormat.getDoubles(b, "optimizer state");
        return new ModelVersion(version, hash, params, features, target, optimizer, b.getLong(), b.getLong(), b.getLong());
    }

    /**
     * What a learner needs: the version without the optimizer's state, which is skipped, not
     * decoded (it is twice the size of the parameters for Adam and only the optimizer uses it).
     */
    public static ModelVersion decodeWithoutOptimizerState(byte[] bytes) {
        ByteBuffer b = header(bytes);
        long version = b.getLong();
        String hash = BinaryFormat.getString(b, "config hash");
        double[] params = BinaryFormat.getDoubles(b, "parameters");
        double[] features = BinaryFormat.getDoubles(b, "feature statistics");
        double[] target = BinaryFormat.getDoubles(b, "target statistics");
        BinaryFormat.skipDoubles(b, "optimizer state");
        return new ModelVersion(version, hash, params, features, target, NO_OPTIMIZER_STATE, b.getLong(), b.getLong(),
                b.getLong());
    }

    private static ByteBuffer header(byte[] bytes) {
        ByteBuffer b = BinaryFormat.wrap(bytes);
        if (bytes.length < 13 || b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a StreamGRU model version");
        }
        byte format = b.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unsupported model version format " + format);
        }
        return b;
    }
}
