package io.streamgru.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts a value from its own schema to another one (the subject's latest, for
 * {@code use.latest.version}) by Avro schema resolution: encode with the own schema, decode with the
 * target as reader. Exact Avro semantics (defaults filled, removed fields dropped, promotions), at
 * the price of one extra encode/decode, paid only when the two schemas differ.
 */
final class SchemaRewriter {

    private final Map<Pair, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();

    Object rewrite(Object datum, Schema from, Schema to, DatumWriter<Object> fromWriter) {
        GenericDatumReader<Object> reader = readers.computeIfAbsent(new Pair(from, to), pair -> {
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(to, from);
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SerdeException(SerdeException.Reason.INCOMPATIBLE_SCHEMA, "use.latest.version: the latest "
                        + "registered schema cannot represent a " + from.getFullName() + " written with the record's own "
                        + "schema: " + result.getDescription());
            }
            return new GenericDatumReader<>(from, to);
        });
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            fromWriter.write(datum, encoder);
            encoder.flush();
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new SerdeException(SerdeException.Reason.AVRO_ENCODE, "converting to the latest schema failed: " + e, e);
        }
    }

    private record Pair(Schema from, Schema to) {
    }
}
