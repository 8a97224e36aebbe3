package io.streamgru.app.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * StreamGRU's {@code schema.registry.*} settings as the configuration Confluent-style serdes
 * expect: {@code schema.registry.url} and the trust-store and user-info keys keep their prefix,
 * the serde keys ({@code basic.auth.credentials.source}, {@code auto.register.schemas},
 * {@code value.subject.name.strategy}, …) lose it, as in Confluent's clients.
 */
public final class RegistrySettings {

    /** Keys accepted under {@code schema.registry.}. */
    public static final Set<String> KEYS = Set.of("url", "basic.auth.credentials.source", "basic.auth.user.info",
            "max.retries", "retries.wait.ms", "retries.max.wait.ms", "http.connect.timeout.ms",
            "http.read.timeout.ms", "latest.cache.ttl.sec", "ssl.truststore.location", "ssl.truststore.password",
            "ssl.truststore.type", "auto.register.schemas", "use.latest.version", "value.subject.name.strategy",
            "key.subject.name.strategy");

    private static final Set<String> PREFIXED = Set.of("url", "basic.auth.user.info", "ssl.truststore.location",
            "ssl.truststore.password", "ssl.truststore.type");

    private RegistrySettings() {
    }

    /** @param registry the settings under {@code schema.registry.}, prefix removed */
    public static Map<String, Object> serdeConfig(Map<String, String> registry) {
        Map<String, Object> m = new HashMap<>();
        registry.forEach((k, v) -> m.put(PREFIXED.contains(k) ? "schema.registry." + k : k, v));
        return m;
    }
}
