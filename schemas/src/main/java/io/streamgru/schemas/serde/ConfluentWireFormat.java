package io.streamgru.schemas.serde;

import java.io.ByteArrayOutputStream;

/**
 * The Confluent wire format's framing: byte 0 is the magic byte {@value #MAGIC_BYTE}, bytes 1-4 the
 * schema id as a big-endian int, then the payload (here: Avro binary, no container header).
 */
public final class ConfluentWireFormat {

    /** The only magic byte defined so far. */
    public static final byte MAGIC_BYTE = 0x0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    /** Writes the header for {@code schemaId}. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /**
     * The schema id in the header of {@code message}.
     *
     * @throws SerdeException {@link SerdeException.Reason#TOO_SHORT} or
     *     {@link SerdeException.Reason#BAD_MAGIC_BYTE}
     */
    public static int schemaId(byte[] message) {
        if (message.length < HEADER_SIZE) {
            throw new SerdeException(SerdeException.Reason.TOO_SHORT, "a Confluent-framed record has at least "
                    + HEADER_SIZE + " bytes (magic byte + 4-byte schema id); this one has " + message.length);
        }
        if (message[0] != MAGIC_BYTE) {
            throw new SerdeException(SerdeException.Reason.BAD_MAGIC_BYTE, String.format(
                    "first byte is 0x%02x, expected the Confluent magic byte 0x00: not written by a Schema Registry serializer",
                    message[0] & 0xff));
        }
        return ((message[1] & 0xff) << 24) | ((message[2] & 0xff) << 16) | ((message[3] & 0xff) << 8) | (message[4] & 0xff);
    }
}
