package io.streamgru.app.input;

import io.streamgru.app.input.InvalidRecordException.Reason;
import io.streamgru.schemas.serde.SerdeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.util.Utf8;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Avro input of any schema, in the Confluent wire format with its writer schema fetched from the
 * registry by id: features and target are numeric fields at (nested) field paths. Nullable fields
 * behave as in JSON: an absent feature field is an error, a null one a gap, a null target unknown;
 * numbers and times follow {@link InputValues} (NaN is a gap, ±Infinity and |v| &gt; 1e100 are rejected).
 * A registry that cannot be reached or refuses StreamGRU is not the record's fault: that error is
 * thrown as an {@code EnvironmentException}, which stops the learner before it commits past the
 * record, instead of parking a valid record in the dead-letter topic.
 */
public final class AvroRecordDecoder implements RecordDecoder {

    private final Deserializer<Object> values;
    private final Deserializer<Object> keys;
    private final InputFields fields;

    /**
     * @param values generic Confluent Avro deserializer for values (configured, owned by the caller)
     * @param keys   the same for keys: a key in the Confluent wire format is decoded, any other is UTF-8 text
     */
    public AvroRecordDecoder(Deserializer<Object> values, Deserializer<Object> keys, InputFields fields) {
        this.values = values;
        this.keys = keys;
        this.fields = fields;
    }

    @Override
    public void decode(String topic, byte[] key, byte[] value, long timestamp, Observation into)
            throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException(Reason.NULL_VALUE, "record value is null");
        }
        Object decoded;
        try {
            decoded = values.deserialize(topic, value);
        } catch (SerdeException e) {
            if (RegistryFailures.isRegistrysFault(e)) {
                throw RegistryFailures.of(e); // not the record's fault: never dead-lettered
            }
            if (e.reason() == SerdeException.Reason.BAD_MAGIC_BYTE && value.length > 0 && value[0] == '{') {
                throw new InvalidRecordException(Reason.CORRUPT, "value looks like JSON, not Confluent-framed Avro: "
                        + "set input.format: json");
            }
            Reason reason = e.reason() == SerdeException.Reason.UNKNOWN_SCHEMA_ID ? Reason.UNKNOWN_SCHEMA : Reason.CORRUPT;
            throw new InvalidRecordException(reason, e.getMessage());
        }
        if (!(decoded instanceof GenericRecord record)) {
            throw new InvalidRecordException(Reason.CORRUPT, "value is an Avro " + typeOf(decoded) + ", not a record");
        }
        into.seriesId = seriesId(topic, record, key);
        into.eventTime = fields.time() == null ? timestamp : eventTime(record);
        for (int i = 0; i < into.features.length; i++) {
            FieldPath path = fields.features().get(i);
            Object v = resolve(record, path);
            if (v == MISSING) {
                throw new InvalidRecordException(Reason.MISSING_FIELD, "feature '" + path + "' is not in the record's schema");
            }
            into.features[i] = v == null ? Double.NaN : number(v, "feature '", path);
        }
        Object target = resolve(record, fields.target());
        into.target = target == null || target == MISSING ? Double.NaN : number(target, "target '", fields.target());
    }

    private String seriesId(String topic, GenericRecord record, byte[] key) throws InvalidRecordException {
        if (fields.key() == null) {
            if (key == null) {
                throw new InvalidRecordException(Reason.NULL_KEY, "record key is null: the key is the series id");
            }
            if (key.length >= 5 && key[0] == 0) { // Confluent wire format: text keys never start with NUL
                try {
                    return String.valueOf(keys.deserialize(topic, key));
                } catch (SerdeException e) {
                    if (RegistryFailures.isRegistrysFault(e)) {
                        throw RegistryFailures.of(e);
                    }
                    throw new InvalidRecordException(Reason.CORRUPT, "key: " + e.getMessage());
                }
            }
            return new String(key, StandardCharsets.UTF_8);
        }
        Object v = resolve(record, fields.key());
        if (v == null || v == MISSING || v instanceof GenericRecord) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "series id field '" + fields.key() + "' is missing");
        }
        return v.toString();
    }

    private long eventTime(GenericRecord record) throws InvalidRecordException {
        Object v = resolve(record, fields.time());
        if (v == null || v == MISSING) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "time field '" + fields.time() + "' is missing");
        }
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        if (v instanceof Instant instant) {
            return InputValues.epochMillis(instant, "time field '", fields.time());
        }
        return InputValues.epochMillis(v.toString(), "time field '", fields.time());
    }

    private static final Object MISSING = new Object();

    /**
     * The value at the path, through records and maps (e.g. {@code features.outdoor} in a
     * {@code SensorReading}); {@link #MISSING} if a name is not in a record's schema; null if a
     * value on the way is null or a map has no such key (a gap).
     */
    private static Object resolve(GenericRecord record, FieldPath path) {
        Object node = record;
        for (String part : path.parts()) {
            if (node == null) {
                return null;
            }
            if (node instanceof GenericRecord r) {
                if (r.getSchema().getField(part) == null) {
                    return MISSING;
                }
                node = r.get(part);
            } else if (node instanceof Map<?, ?> map) {
                Object v = map.get(new Utf8(part)); // Avro's generic maps have Utf8 keys
                node = v != null ? v : map.get(part);
            } else {
                return MISSING;
            }
        }
        return node;
    }

    /** A number by {@link InputValues}' policy (NaN = missing); {@code what} and {@code path} name it in rejections. */
    private static double number(Object v, String what, FieldPath path) throws InvalidRecordException {
        if (v instanceof Number n) {
            return InputValues.value(n.doubleValue(), what, path);
        }
        if (v instanceof CharSequence s) {
            return InputValues.parse(s.toString(), what, path);
        }
        throw new InvalidRecordException(Reason.NON_NUMERIC, what + path + "' is " + typeOf(v) + ", not a number");
    }

    private static String typeOf(Object v) {
        return v == null ? "null" : v instanceof GenericRecord r ? "record " + r.getSchema().getFullName()
                : v.getClass().getSimpleName();
    }
}
