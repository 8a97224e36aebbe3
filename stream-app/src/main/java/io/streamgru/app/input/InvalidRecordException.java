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

    /** A longer message is cut: a message that echoes its input must not double the record. */
    public static final int MAX_MESSAGE_CHARS = 1000;

    private final Reason reason;

    public InvalidRecordException(Reason reason, String message) {
        super(message, null, false, false); // no stack trace: this is data, not a bug
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The message as dead letters, logs and summaries show it: on one line (control characters
     * of the quoted input written as escapes: a value cannot forge log lines) and cut to
     * {@link #MAX_MESSAGE_CHARS}, ending in "…".
     */
    public String oneLineMessage() {
        String message = String.valueOf(getMessage());
        StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_MESSAGE_CHARS) + 8);
        for (int i = 0; i < message.length(); i++) {
            if (b.length() >= MAX_MESSAGE_CHARS) {
                if (Character.isLowSurrogate(message.charAt(i)) && b.length() > 0) {
                    b.setLength(b.length() - 1); // never half a character
                }
                return b.append('…').toString();
            }
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
