package io.streamgru.schemas.registry;

import org.apache.kafka.common.config.ConfigException;

import java.util.Map;
import java.util.Optional;

/**
 * Typed reads from a Kafka-style configuration map, whose values may be strings (from properties
 * files) or already typed objects (from code). Every bad value is a {@link ConfigException} naming
 * the key.
 */
public final class TypedConfig {

    private final Map<String, ?> values;

    public TypedConfig(Map<String, ?> values) {
        this.values = Map.copyOf(withoutNulls(values));
    }

    private static Map<String, ?> withoutNulls(Map<String, ?> values) {
        java.util.HashMap<String, Object> copy = new java.util.HashMap<>();
        values.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    /** The raw value of {@code key}, if set. */
    public Optional<Object> raw(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value of {@code key} as a trimmed, non-empty string, if set. */
    public Optional<String> string(String key) {
        return raw(key).map(v -> v.toString().trim()).filter(s -> !s.isEmpty());
    }

    /** The value of {@code key} as a boolean ({@code true}/{@code false}, any case). */
    public boolean bool(String key, boolean defaultValue) {
        Optional<Object> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (value.get() instanceof Boolean b) {
            return b;
        }
        String text = value.get().toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key, value.get(), "expected true or false");
    }

    /** The value of {@code key} as a long of at least {@code min}. */
    public long number(String key, long defaultValue, long min) {
        Optional<Object> value = raw(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long n;
        try {
            n = value.get() instanceof Number num ? num.longValue() : Long.parseLong(value.get().toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value.get(), "expected a whole number");
        }
        if (n < min) {
            throw new ConfigException(key, value.get(), "must be at least " + min);
        }
        return n;
    }
}
