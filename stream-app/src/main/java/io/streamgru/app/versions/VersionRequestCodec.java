package io.streamgru.app.versions;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link VersionRequest}s as bytes on the gradients topic: magic {@code SGVQ}, a format byte (1),
 * the id and origin, then the contents as a {@link ModelVersionCodec} record (length-prefixed), so
 * the version inside keeps its own format. The magic differs from a gradient batch's, so the
 * optimizer tells the two apart by their first four bytes.
 */
public final class VersionRequestCodec {

    private static final int MAGIC = 0x5347_5651; // "SGVQ"
    private static final byte FORMAT = 1;

    private VersionRequestCodec() {
    }

    public static byte[] encode(VersionRequest r) {
        byte[] contents = ModelVersionCodec.encode(r.contents());
        ByteBuffer b = BinaryFormat.allocate(4 + 1 + BinaryFormat.sizeOf(r.id()) + BinaryFormat.sizeOf(r.origin())
                + 4 + contents.length);
        b.putInt(MAGIC).put(FORMAT);
        BinaryFormat.put(b, r.id());
        BinaryFormat.put(b, r.origin());
        b.putInt(contents.length).put(contents);
        return b.array();
    }

    /** Whether {@code bytes} are a version request (by its magic; the format is checked by {@link #decode}). */
    public static boolean isRequest(byte[] bytes) {
        return bytes != null && bytes.length >= 5 && BinaryFormat.wrap(bytes).getInt() == MAGIC;
    }

    public static VersionRequest decode(byte[] bytes) {
        if (!isRequest(bytes)) {
            throw new IllegalArgumentException("not a StreamGRU version request");
        }
        ByteBuffer b = BinaryFormat.wrap(bytes);
        b.position(4);
        byte format = b.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unsupported version request format " + format);
        }
        String id = BinaryFormat.getString(b, "request id");
        String origin = BinaryFormat.getString(b, "origin");
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("corrupt version request: contents length " + n);
        }
        byte[] contents = Arrays.copyOfRange(bytes, b.position(), b.position() + n);
        return new VersionRequest(id, origin, ModelVersionCodec.decode(contents));
    }
}
