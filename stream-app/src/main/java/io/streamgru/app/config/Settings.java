package io.streamgru.app.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flat dotted settings ({@code learner.hidden=64}) with where each value came from, and typed
 * getters whose errors name the key, the value and its source.
 */
public final class Settings {

    /** One value and where it came from (a file, an environment variable, a flag). */
    public record Setting(String value, String source) {
    }

    private final Map<String, Setting> values;

    public Settings(Map<String, Setting> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Settings from plain key-value pairs, all from one source. */
    public static Settings of(Map<String, String> values, String source) {
        Map<String, Setting> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, new Setting(v, source)));
        return new Settings(m);
    }

    /** These settings with {@code overrides} taking precedence. */
    public Settings overriddenBy(Settings overrides) {
        Map<String, Setting> m = new LinkedHashMap<>(values);
        m.putAll(overrides.values);
        return new Settings(m);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Map<String, Setting> all() {
        return values;
    }

    /** Settings under {@code prefix} (e.g. {@code kafka.}), with the prefix removed, as plain strings. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        values.forEach((k, s) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), s.value());
            }
        });
        return m;
    }

    public String string(String key, String defaultValue) {
        Setting s = values.get(key);
        return s == null ? defaultValue : s.value().trim();
    }

    public String required(String key) {
        Setting s = values.get(key);
        if (s == null || s.value().isBlank()) {
            throw new ConfigException("missing required setting '" + key + "'");
        }
        return s.value().trim();
    }

    public int integer(String key, int defaultValue) {
        Setting s = values.get(key);
        if (s == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(s.value().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, s, "an integer");
        }
    }

    public long longValue(String key, long defaultValue) {
        Setting s = values.get(key);
        if (s == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(s.value().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, s, "an integer");
        }
    }

    public double decimal(String key, double defaultValue) {
        Setting s = values.get(key);
        if (s == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(s.value().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, s, "a number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Setting s = values.get(key);
        if (s == null) {
            return defaultValue;
        }
        return switch (s.value().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, s, "true or false");
        };
    }

    /** A comma-separated list; empty items dropped. */
    public List<String> list(String key) {
        Setting s = values.get(key);
        if (s == null || s.value().isBlank()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : s.value().split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** One of the allowed words (case-insensitive), lower-cased. */
    public String choice(String key, String defaultValue, String... allowed) {
        String v = string(key, defaultValue).toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(v)) {
            throw invalid(key, values.get(key), "one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** Where a key's value came from ("default" if unset). */
    public String sourceOf(String key) {
        Setting s = values.get(key);
        return s == null ? "default" : s.source();
    }

    ConfigException invalid(String key, Setting s, String expected) {
        return new ConfigException("setting '" + key + "' = '" + s.value() + "' (from " + s.source()
                + ") must be " + expected);
    }
}
