package io.streamgru.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads settings from their three sources and layers them: a properties or YAML file, then
 * environment variables, then command-line flags (each overriding the one before).
 *
 * <p>Environment variables: {@code STREAMGRU_} followed by the key upper-cased with dots as
 * underscores, e.g. {@code STREAMGRU_LEARNER_HIDDEN=64} is {@code learner.hidden=64} and
 * {@code STREAMGRU_KAFKA_BOOTSTRAP_SERVERS} is {@code kafka.bootstrap.servers}.
 */
public final class ConfigSources {

    /** Prefix of the environment variables StreamGRU reads. */
    public static final String ENV_PREFIX = "STREAMGRU_";

    private ConfigSources() {
    }

    /** The layered settings; {@code file} may be null. */
    public static Settings load(Path file, Map<String, String> environment, Map<String, String> flags) {
        Settings settings = file == null ? Settings.of(Map.of(), "none") : fromFile(file);
        return settings.overriddenBy(fromEnvironment(environment)).overriddenBy(Settings.of(flags, "command line"));
    }

    /** A {@code .yaml}/{@code .yml} file (nested maps become dotted keys, lists comma-joined) or a properties file. */
    public static Settings fromFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            Map<String, String> flat = new LinkedHashMap<>();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                try (InputStream in = Files.newInputStream(file)) {
                    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
                    if (root != null && !root.isMissingNode() && !root.isNull()) {
                        if (!root.isObject()) {
                            throw new ConfigException(file + ": expected a mapping of settings at the top level");
                        }
                        flatten("", root, flat, file);
                    }
                }
            } else {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                }
                p.stringPropertyNames().stream().sorted().forEach(k -> flat.put(k, p.getProperty(k)));
            }
            return Settings.of(flat, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException("no such config file: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, file);
            }
        } else if (node.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    throw new ConfigException(file + ": '" + prefix + "' must be a list of plain values");
                }
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(item.asText());
            }
            out.put(prefix, b.toString());
        } else {
            out.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    /** {@code STREAMGRU_A_B=v} as {@code a.b=v}. */
    public static Settings fromEnvironment(Map<String, String> environment) {
        Map<String, Settings.Setting> m = new LinkedHashMap<>();
        environment.keySet().stream().filter(k -> k.startsWith(ENV_PREFIX)).sorted().forEach(k -> {
            String key = k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            m.put(key, new Settings.Setting(environment.get(k), "environment variable " + k));
        });
        return new Settings(m);
    }
}
