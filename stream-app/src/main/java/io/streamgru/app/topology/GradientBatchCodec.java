package io.streamgru.app.topology;

import io.streamgru.app.config.GradientPrecision;
import io.streamgru.app.versions.BinaryFormat;
import java.nio.ByteBuffer;

/**
 * Gradient batches as bytes on the {@code <app>-gradients} topic (same primitives as model versions).
 * Format 1 carries the gradient sum as float64, format 2 as float32 ({@link GradientPrecision});
 * both decode to float64 for the optimizer. The normaliser statistics are always float64 (their
 * counts and sums of squares must merge exactly).
 * The drift count is a trailing int, absent from batches written before it existed (read as 0):
 * learners of both kinds can then feed one optimizer during a rolling upgrade.
 */
public final class GradientBatchCodec {

    private static final int MAGIC = 0x5347_4742; // "SGGB"
    private static final byte FLOAT64_FORMAT = 1;
    private static final byte FLOAT32_FORMAT = 2;

    private GradientBatchCodec() {
    }

    /** The exact (float64) encoding. */
    public static byte[] encode(GradientBatch g) {
        return encode(g, GradientPrecision.FLOAT64);
    }

    public static byte[] encode(GradientBatch g, GradientPrecision precision) {
        double[] gradient = g.gradientSum();
        int size = 4 + 1 + 8 + 4 + 8 + 8 + BinaryFormat.sizeOf(g.configHash()) + BinaryFormat.sizeOf(g.source())
                + 4 + precision.bytes() * gradient.length + BinaryFormat.sizeOf(g.featureStatsDelta())
                + BinaryFormat.sizeOf(g.targetStatsDelta()) + 4;
        ByteBuffer b = BinaryFormat.allocate(size);
        b.putInt(MAGIC).put(precision == GradientPrecision.FLOAT32 ? FLOAT32_FORMAT : FLOAT64_FORMAT);
        b.putLong(g.basedOnVersion()).putInt(g.samples()).putDouble(g.lossSum()).putLong(g.createdAt());
        BinaryFormat.put(b, g.configHash());
        BinaryFormat.put(b, g.source());
        if (precision == GradientPrecision.FLOAT32) {
            BinaryFormat.putAsFloats(b, gradient);
        } else {
            BinaryFormat.put(b, gradient);
        }
        BinaryFormat.put(b, g.featureStatsDelta());
        BinaryFormat.put(b, g.targetStatsDelta());
        b.putInt(g.driftDetections());
        return b.array();
    }

    public static GradientBatch decode(byte[] bytes) {
        ByteBuffer b = BinaryFormat.wrap(bytes);
        if (bytes.length < 5 || b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a StreamGRU gradient batch");
        }
        byte format = b.get();
        if (format != FLOAT64_FORMAT && format != FLOAT32_FORMAT) {
            throw new IllegalArgumentException("unsupported gradient batch format " + format);
        }
        long version = b.getLong();
        int samples = b.getInt();
        double loss = b.getDouble();
        long createdAt = b.getLong();
        String hash = BinaryFormat.getString(b, "config hash");
        String source = BinaryFormat.getString(b, "source");
        double[] gradient = format == FLOAT32_FORMAT ? BinaryFormat.getFloatsAsDoubles(b, "gradient")
                : BinaryFormat.getDoubles(b, "gradient");
        double[] featureStats = BinaryFormat.getDoubles(b, "feature statistics");
        double[] targetStats = BinaryFormat.getDoubles(b, "target statistics");
        int drifts = b.remaining() >= 4 ? b.getInt() : 0;
        if (drifts < 0) {
            throw new IllegalArgumentException("gradient batch with " + drifts + " drift detections");
        }
        return new GradientBatch(version, hash, source, samples, loss, gradient, featureStats, targetStats, createdAt,
                drifts);
    }
}
