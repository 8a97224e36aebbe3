package io.streamgru.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be serialized or deserialized. {@link #reason()} says why in a form a
 * streaming application can route on (its name is the dead-letter reason code); the message says
 * it for a person. A {@link SerializationException}, so Kafka's and Kafka Streams' handlers treat
 * it as the record's fault.
 */
public class SerdeException extends SerializationException {

    /** Why a record failed. */
    public enum Reason {
        /** Fewer than the 5 header bytes (magic byte + schema id). */
        TOO_SHORT,
        /** First byte is not the Confluent magic byte 0: not this wire format. */
        BAD_MAGIC_BYTE,
        /** The registry has no schema with the id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The Avro body is corrupt: truncated, trailing bytes, or values that do not fit the writer schema. */
        AVRO_DECODE,
        /** Writer and reader schemas cannot be resolved against each other. */
        INCOMPATIBLE_SCHEMA,
        /** The value (or the type named by a writer schema) is not one this serde can handle. */
        UNSUPPORTED_TYPE,
        /** {@code auto.register.schemas=false} and the schema is not registered under the subject. */
        SCHEMA_NOT_REGISTERED,
        /** The value does not conform to its own schema (e.g. a required field is null). */
        AVRO_ENCODE,
        /** The registry could not be reached through all retries: transient, not the record's fault. */
        REGISTRY_UNAVAILABLE,
        /** The registry refused the request (e.g. 401, 422). */
        REGISTRY_ERROR;

        /**
         * Whether trying the same record again later may succeed: true only for
         * {@link #REGISTRY_UNAVAILABLE}. A dead-letter router should not park such records for good.
         */
        public boolean isTransient() {
            return this == REGISTRY_UNAVAILABLE;
        }
    }

    private final Reason reason;

    public SerdeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public SerdeException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** Why the record failed. */
    public Reason reason() {
        return reason;
    }
}
