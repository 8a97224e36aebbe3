package io.streamgru.app.input;

/**
 * A problem with the user's input (file, column, cell, option): reported as a message, never a stack
 * trace. Lives beside the other input errors so that every reader of input (evaluate, history,
 * replay, the CLI) can throw it without depending on one another.
 */
public final class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
