package io.streamgru.schemas.registry.memory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory registries by scope name, resolving {@code mock://scope} URLs, the convention Confluent's
 * serdes use for tests.
 *
 * <p>Confluent keeps its mock scopes in a JVM-wide static map; StreamGRU does not, so tests cannot
 * leak schemas into each other. Sharing is explicit instead: every serde that should see the same
 * {@code mock://orders} is given the same {@code MockRegistries} object, either through its
 * constructor or through the configuration map under
 * {@link io.streamgru.schemas.serde.SerdeConfig#MOCK_REGISTRIES} (Kafka and Kafka Streams pass
 * configuration values through to serdes as objects, so one instance put into the application's
 * properties reaches every serde the application creates). A serde configured with a
 * {@code mock://} URL but no {@code MockRegistries} refuses to start rather than silently getting a
 * private registry that its counterpart cannot see.
 *
 * <p>Thread-safe.
 */
public final class MockRegistries {

    /** The URL scheme of in-process registries. */
    public static final String SCHEME = "mock://";

    private final Map<String, InMemorySchemaRegistry> scopes = new ConcurrentHashMap<>();

    /** The registry of {@code scope}, created empty on first use. */
    public InMemorySchemaRegistry scope(String scope) {
        return scopes.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Makes {@code registry} the one behind {@code scope} (e.g. the store a local server serves). */
    public void put(String scope, InMemorySchemaRegistry registry) {
        scopes.put(scope, registry);
    }

    /** Forgets {@code scope}: the next use starts empty. */
    public void drop(String scope) {
        scopes.remove(scope);
    }

    /** The registry a {@code mock://scope} URL names (created on first use). */
    public InMemorySchemaRegistry forUrl(String url) {
        return scope(scopeOf(url).orElseThrow(() -> new IllegalArgumentException(
                "not a mock registry URL (expected mock://scope): " + url)));
    }

    /** A client for a {@code mock://scope} URL. */
    public MockSchemaRegistryClient client(String url) {
        return new MockSchemaRegistryClient(forUrl(url));
    }

    /** The scope of a {@code mock://scope} URL, or empty if {@code url} is not one. */
    public static Optional<String> scopeOf(String url) {
        String trimmed = url.trim();
        if (!trimmed.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return Optional.empty();
        }
        String scope = trimmed.substring(SCHEME.length());
        if (scope.endsWith("/")) {
            scope = scope.substring(0, scope.length() - 1);
        }
        return scope.isEmpty() || scope.contains(",") ? Optional.empty() : Optional.of(scope);
    }
}
