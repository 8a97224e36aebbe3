package io.streamgru.app.config;

/** A setting is unknown, missing or invalid: the message names the key, the value and where it came from. */
public final class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }
}
