package io.streamgru.app.input;

/** A problem with the user's input (file, column, cell): reported as a message, never a stack trace. */
public final class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
