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
     * The message as dead letters, logs and summaries show it: on one line, with what is invisible or
     * breaks a line written as an escape ({@code \n}, {@code \r}, {@code \t}, a backslash, u and four hex digits for
     * other control, format and separator characters, {@code \\} for a backslash: a quoted value can
     * neither forge log lines nor pass for an escape), and cut to at most {@link #MAX_MESSAGE_CHARS}
     * characters before a final "…", never inside a character or an escape.
     */
    public String oneLineMessage() {
        String message = String.valueOf(getMessage());
        StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_MESSAGE_CHARS) + 1);
        for (int i = 0; i < message.length(); ) {
            int c = message.codePointAt(i);
            i += Character.charCount(c);
            String shown = shown(c);
            if (b.length() + shown.length() > MAX_MESSAGE_CHARS) {
                return b.append('…').toString();
            }
            b.append(shown);
        }
        return b.toString();
    }

    private static String shown(int c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\\' -> "\\\\";
            default -> {
                int type = Character.getType(c);
                yield Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR ? String.format("\\u%04x", c) : Character.toString(c);
            }
        };
    }
}
