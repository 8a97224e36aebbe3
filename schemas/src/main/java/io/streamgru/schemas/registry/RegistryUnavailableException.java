package io.streamgru.schemas.registry;

/**
 * The registry could not be reached or kept failing (connection errors, timeouts, 5xx, 429) through
 * every allowed attempt. {@link #status()} is the last HTTP status, or
 * {@link SchemaRegistryException#NO_STATUS} if no attempt got an answer; the cause is the last
 * I/O error, if any.
 */
public class RegistryUnavailableException extends SchemaRegistryException {

    private final int attempts;

    public RegistryUnavailableException(int status, int errorCode, int attempts, String message, Throwable cause) {
        super(status, errorCode, message, cause);
        this.attempts = attempts;
    }

    /** How many requests were made before giving up. */
    public int attempts() {
        return attempts;
    }
}
