package io.streamgru.schemas.registry;

import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach a Schema Registry, read from the same configuration keys Confluent's clients use,
 * so one properties file serves StreamGRU, Kafka Connect and Confluent's serdes.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@value #URL}</td><td>comma-separated {@code http(s)://} URLs; later ones are tried when
 *       earlier ones fail (required)</td></tr>
 *   <tr><td>{@value #CREDENTIALS_SOURCE}</td><td>{@code URL} (default: user info in the URL, if any)
 *       or {@code USER_INFO}</td></tr>
 *   <tr><td>{@value #USER_INFO} (or {@value #USER_INFO_ALIAS})</td><td>{@code user:password} for
 *       {@code USER_INFO}</td></tr>
 *   <tr><td>{@value #MAX_RETRIES}</td><td>retries after the first attempt on connection errors,
 *       timeouts, 5xx and 429; never on other 4xx (default 3)</td></tr>
 *   <tr><td>{@value #RETRIES_WAIT_MS} / {@value #RETRIES_MAX_WAIT_MS}</td><td>first backoff, doubled
 *       per retry up to the maximum (defaults 1000 / 2000 ms)</td></tr>
 *   <tr><td>{@value #CONNECT_TIMEOUT_MS} / {@value #READ_TIMEOUT_MS}</td><td>per attempt (defaults
 *       10000 / 30000 ms)</td></tr>
 *   <tr><td>{@value #LATEST_CACHE_TTL_SEC}</td><td>how long a "latest version" answer is reused; -1
 *       forever (default), 0 never</td></tr>
 *   <tr><td>{@value #CACHE_CAPACITY}</td><td>entries per cache (default 1000)</td></tr>
 *   <tr><td>{@value #TRUSTSTORE_LOCATION} / {@value #TRUSTSTORE_PASSWORD} / {@value #TRUSTSTORE_TYPE}</td>
 *       <td>trust store for HTTPS to a registry whose certificate the JDK does not trust already
 *       (default: the JDK's trust store); type defaults to the JDK's keystore type (PKCS12)</td></tr>
 * </table>
 *
 * @param urls                the registry base URLs, in order of preference
 * @param userInfo            {@code user:password} for basic auth, if any
 * @param maxRetries          retries after the first attempt
 * @param retryWait           first backoff
 * @param retryMaxWait        backoff cap
 * @param connectTimeout      TCP/TLS connect timeout per attempt
 * @param readTimeout         whole-request timeout per attempt
 * @param latestCacheTtl      reuse of "latest" answers; negative = forever, zero = never
 * @param cacheCapacity       entries per cache
 * @param trustStoreLocation  trust store file for HTTPS, if any
 * @param trustStorePassword  its password, if any
 * @param trustStoreType      its type
 */
public record RegistryClientConfig(List<URI> urls, Optional<String> userInfo, int maxRetries, Duration retryWait,
                                   Duration retryMaxWait, Duration connectTimeout, Duration readTimeout,
                                   Duration latestCacheTtl, int cacheCapacity, Optional<String> trustStoreLocation,
                                   Optional<String> trustStorePassword, String trustStoreType) {

    public static final String URL = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String USER_INFO_ALIAS = "schema.registry.basic.auth.user.info";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String CACHE_CAPACITY = "streamgru.registry.cache.capacity";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

    public RegistryClientConfig {
        if (urls.isEmpty()) {
            throw new ConfigException(URL, urls, "at least one registry URL is needed");
        }
        urls = List.copyOf(urls);
    }

    /** The settings for registry {@code urls} with every other setting at its default. */
    public static RegistryClientConfig of(String urls) {
        return from(Map.of(URL, urls));
    }

    /** Reads the keys above from a Kafka-style configuration map. */
    public static RegistryClientConfig from(Map<String, ?> configs) {
        TypedConfig config = new TypedConfig(configs);
        String urlList = config.string(URL)
                .orElseThrow(() -> new ConfigException(URL, null, "the Schema Registry URL is required"));
        List<URI> urls = new ArrayList<>();
        for (String part : urlList.split(",")) {
            if (!part.isBlank()) {
                urls.add(parseUrl(part.trim()));
            }
        }
        String source = config.string(CREDENTIALS_SOURCE).orElse("URL").toUpperCase(Locale.ROOT);
        Optional<String> userInfo = switch (source) {
            case "URL" -> Optional.ofNullable(urls.get(0).getRawUserInfo()).map(RegistryClientConfig::decode);
            case "USER_INFO" -> Optional.of(config.string(USER_INFO).or(() -> config.string(USER_INFO_ALIAS))
                    .orElseThrow(() -> new ConfigException(USER_INFO, null,
                            CREDENTIALS_SOURCE + "=USER_INFO needs user:password in " + USER_INFO)));
            default -> throw new ConfigException(CREDENTIALS_SOURCE, source, "supported: URL, USER_INFO");
        };
        userInfo.ifPresent(info -> {
            if (!info.contains(":")) {
                throw new ConfigException(USER_INFO, "(hidden)", "expected user:password");
            }
        });
        return new RegistryClientConfig(urls, userInfo,
                (int) config.number(MAX_RETRIES, 3, 0),
                Duration.ofMillis(config.number(RETRIES_WAIT_MS, 1000, 0)),
                Duration.ofMillis(config.number(RETRIES_MAX_WAIT_MS, 2000, 0)),
                Duration.ofMillis(config.number(CONNECT_TIMEOUT_MS, 10_000, 1)),
                Duration.ofMillis(config.number(READ_TIMEOUT_MS, 30_000, 1)),
                Duration.ofSeconds(config.number(LATEST_CACHE_TTL_SEC, -1, -1)),
                (int) config.number(CACHE_CAPACITY, 1000, 1),
                config.string(TRUSTSTORE_LOCATION),
                config.raw(TRUSTSTORE_PASSWORD).map(Object::toString),
                config.string(TRUSTSTORE_TYPE).orElse(java.security.KeyStore.getDefaultType()));
    }

    private static URI parseUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(URL, text, "not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(URL, text, "expected an http:// or https:// URL (mock:// is handled by the serde config)");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(URL, text, "the URL has no host");
        }
        return uri;
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** What {@code toString} shows instead of the password. */
    @Override
    public String toString() {
        return "RegistryClientConfig[urls=" + urls.stream().map(RegistryClientConfig::withoutUserInfo).toList()
                + ", basicAuth=" + userInfo.isPresent() + ", maxRetries=" + maxRetries + ", retryWait=" + retryWait
                + ", retryMaxWait=" + retryMaxWait + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", latestCacheTtl=" + latestCacheTtl + ", cacheCapacity=" + cacheCapacity
                + ", trustStore=" + trustStoreLocation.orElse("JDK default") + "]";
    }

    /** {@code uri} without user info, for messages: passwords never reach logs. */
    static String withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }
}
