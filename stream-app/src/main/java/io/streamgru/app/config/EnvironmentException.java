package io.streamgru.app.config;

/**
 * The environment is not usable as configured: a broker or registry that cannot be reached,
 * credentials that are refused, a certificate that is not trusted. Not the data's fault (no record
 * is dead-lettered for it) and not a typo in a setting ({@link ConfigException}). The message is
 * one line for a person: what failed and what to do; the cause, if any, is for {@code --verbose}.
 */
public class EnvironmentException extends RuntimeException {

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
