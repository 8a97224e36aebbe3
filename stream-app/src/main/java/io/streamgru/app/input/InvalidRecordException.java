package io.streamgru.app.input;

/** A record that cannot be learned from: it goes to the dead-letter topic with this reason. */
public final class InvalidRecordException extends Exception {

    /** Why a record was rejected; the code travels in the dead-letter record's headers. */
    public enum Reason {
        NULL_KEY, NULL_VALUE, CORRUPT, UNKNOWN_SCHEMA, MISSING_FIELD, NON_NUMERIC, NON_FINITE, BAD_TIMESTAMP,
        /** A finite value beyond {@code LearnableRange.MAX_MAGNITUDE}: too extreme to learn from. */
        OUT_OF_RANGE,
        /** A second reading of a key at an event time it already has. */
        DUPLICATE,
        /** A reading older than the key's newest one. */
        LATE
    }

    private final Reason reason;

    public InvalidRecordException(Reason reason, String message) {
        super(message, null, false, false); // no stack trace: this is data, not a bug
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
