package io.streamgru.app.versions;

import java.nio.ByteBuffer;

/**
 * Model versions as bytes on the {@code <app>-model} topic (and in the optimizer's store): a magic
 * and format byte, then the fields, doubles as exact little-endian IEEE-754, and (format 3) a last
 * byte of flags: bit 0, the deployment published the combination of experts. Format 2 (before that
 * flag: read as not combined) and format 1 (before versions carried their origin and loss) are still read.
 */
public final class ModelVersionCodec {

    private static final int MAGIC = 0x5347_4D56; // "SGMV"
    private static final byte FORMAT = 3;
    private static final byte FORMAT_WITHOUT_FLAGS = 2;
    private static final byte FORMAT_WITHOUT_ORIGIN = 1;
    private static final int COMBINED = 1;

    private ModelVersionCodec() {
    }

    public static byte[] encode(ModelVersion m) {
        int size = 4 + 1 + 8 + BinaryFormat.sizeOf(m.configHash()) + BinaryFormat.sizeOf(m.parameters())
                + BinaryFormat.sizeOf(m.featureStats()) + BinaryFormat.sizeOf(m.targetStats())
                + BinaryFormat.sizeOf(m.optimizerState()) + 8 * 3 + BinaryFormat.sizeOf(m.origin()) + 8 + 1;
        ByteBuffer b = BinaryFormat.allocate(size);
        b.putInt(MAGIC).put(FORMAT).putLong(m.version());
        BinaryFormat.put(b, m.configHash());
        BinaryFormat.put(b, m.parameters());
        BinaryFormat.put(b, m.featureStats());
        BinaryFormat.put(b, m.targetStats());
        BinaryFormat.put(b, m.optimizerState());
        b.putLong(m.optimizerSteps()).putLong(m.samplesTrained()).putLong(m.createdAt());
        BinaryFormat.put(b, m.origin());
        b.putDouble(m.loss());
        b.put((byte) (m.combined() ? COMBINED : 0));
        return b.array();
    }

    /** The version number alone, read without decoding the parameters. */
    public static long version(byte[] bytes) {
        ByteBuffer b = header(bytes);
        return b.getLong();
    }

    public static ModelVersion decode(byte[] bytes) {
        return decode(bytes, true, true);
    }

    /** Everything but the arrays (parameters, statistics, optimizer state come back empty): for listings. */
    public static ModelVersion decodeSummary(byte[] bytes) {
        return decode(bytes, false, false);
    }

    /**
     * What a learner needs: the version without the optimizer's state, which is skipped, not
     * decoded (for Adam it is twice the size of the parameters, and only the optimizer uses it).
     */
    public static ModelVersion decodeWithoutOptimizerState(byte[] bytes) {
        return decode(bytes, true, false);
    }

    private static ModelVersion decode(byte[] bytes, boolean arrays, boolean optimizerState) {
        ByteBuffer b = header(bytes);
        boolean withOrigin = bytes[4] != FORMAT_WITHOUT_ORIGIN;
        long version = b.getLong();
        String hash = BinaryFormat.getString(b, "config hash");
        double[] params = arrays ? BinaryFormat.getDoubles(b, "parameters") : skip(b, "parameters");
        double[] features = arrays ? BinaryFormat.getDoubles(b, "feature statistics") : skip(b, "feature statistics");
        double[] target = arrays ? BinaryFormat.getDoubles(b, "target statistics") : skip(b, "target statistics");
        double[] optimizer = optimizerState ? BinaryFormat.getDoubles(b, "optimizer state") : skip(b, "optimizer state");
        long steps = b.getLong();
        long samples = b.getLong();
        long createdAt = b.getLong();
        String origin = withOrigin ? BinaryFormat.getString(b, "origin") : ModelVersion.FROM_OPTIMIZER;
        double loss = withOrigin ? b.getDouble() : Double.NaN;
        boolean combined = bytes[4] == FORMAT && (b.get() & COMBINED) != 0;
        return new ModelVersion(version, hash, params, features, target, optimizer, steps, samples, createdAt,
                origin, loss, combined);
    }

    private static double[] skip(ByteBuffer b, String what) {
        int n = b.getInt();
        if (n < 0 || 8L * n > b.remaining()) {
            throw new IllegalArgumentException("corrupt " + what + ": length " + n);
        }
        b.position(b.position() + 8 * n);
        return new double[0];
    }

    private static ByteBuffer header(byte[] bytes) {
        ByteBuffer b = BinaryFormat.wrap(bytes);
        if (bytes.length < 13 || b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a StreamGRU model version");
        }
        byte format = b.get();
        if (format != FORMAT && format != FORMAT_WITHOUT_FLAGS && format != FORMAT_WITHOUT_ORIGIN) {
            throw new IllegalArgumentException("unsupported model version format " + format);
        }
        return b;
    }
}
