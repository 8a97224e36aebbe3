package io.streamgru.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

import java.nio.ByteBuffer;

/**
 * The Avro schema of a value to serialize: its own for Avro objects (generated classes,
 * {@code GenericRecord}, enums, fixeds, arrays), the primitive schema for the Java types Confluent's
 * serializer also accepts (for keys: {@code String}, {@code Long}, ...).
 */
final class DatumSchema {

    private DatumSchema() {
    }

    static Schema of(Object datum) {
        if (datum instanceof GenericContainer container) {
            return container.getSchema();
        }
        if (datum instanceof CharSequence) {
            return Schema.create(Schema.Type.STRING);
        }
        if (datum instanceof Integer) {
            return Schema.create(Schema.Type.INT);
        }
        if (datum instanceof Long) {
            return Schema.create(Schema.Type.LONG);
        }
        if (datum instanceof Double) {
            return Schema.create(Schema.Type.DOUBLE);
        }
        if (datum instanceof Float) {
            return Schema.create(Schema.Type.FLOAT);
        }
        if (datum instanceof Boolean) {
            return Schema.create(Schema.Type.BOOLEAN);
        }
        if (datum instanceof byte[] || datum instanceof ByteBuffer) {
            return Schema.create(Schema.Type.BYTES);
        }
        throw new SerdeException(SerdeException.Reason.UNSUPPORTED_TYPE, "cannot serialize a "
                + datum.getClass().getName() + " as Avro: expected a generated class, a GenericRecord (or other Avro "
                + "container) or a String, Integer, Long, Float, Double, Boolean, byte[] or ByteBuffer");
    }
}
