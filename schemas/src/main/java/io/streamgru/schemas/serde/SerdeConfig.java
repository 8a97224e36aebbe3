package io.streamgru.schemas.serde;

import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.TypedConfig;
import io.streamgru.schemas.registry.memory.MockRegistries;
import org.apache.kafka.common.config.ConfigException;

import java.util.Map;
import java.util.Optional;

/**
 * The serde's settings, under the keys Confluent's Avro serdes use, so a Kafka or Kafka Streams
 * properties file written for Confluent's serdes configures these the same way.
 *
 * <table>
 *   <caption>Keys (registry connection keys: see {@link RegistryClientConfig})</caption>
 *   <tr><td>{@value #SCHEMA_REGISTRY_URL}</td><td>{@code http(s)://...} (comma-separated for
 *       failover) or {@code mock://scope}</td></tr>
 *   <tr><td>{@value #AUTO_REGISTER_SCHEMAS}</td><td>register the record's schema on first use
 *       (default true); when false, the schema must already be registered</td></tr>
 *   <tr><td>{@value #USE_LATEST_VERSION}</td><td>with auto-registration off, write with the
 *       subject's latest schema, converting the record to it (default false)</td></tr>
 *   <tr><td>{@value #KEY_SUBJECT_NAME_STRATEGY} / {@value #VALUE_SUBJECT_NAME_STRATEGY}</td><td>see
 *       {@link SubjectNameStrategy} (default topic)</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_READER}</td><td>deserialize into generated classes instead of
 *       {@code GenericRecord} (default false); the class comes from the type below, or is one of
 *       StreamGRU's own</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_KEY_TYPE} / {@value #SPECIFIC_AVRO_VALUE_TYPE}</td><td>the generated
 *       class to read keys/values into (a name or a {@link Class})</td></tr>
 *   <tr><td>{@value #MOCK_REGISTRIES}</td><td>the {@link MockRegistries} object that resolves
 *       {@code mock://} URLs (required with them; see there why)</td></tr>
 * </table>
 *
 * @param raw                    the configuration as given
 * @param autoRegisterSchemas    register schemas on first use
 * @param useLatestVersion       write with the subject's latest schema
 * @param keySubjectStrategy     subject naming for keys
 * @param valueSubjectStrategy   subject naming for values
 * @param specificAvroReader     read into generated classes
 * @param specificKeyType        the class to read keys into, if configured
 * @param specificValueType      the class to read values into, if configured
 */
public record SerdeConfig(Map<String, ?> raw, boolean autoRegisterSchemas, boolean useLatestVersion,
                          SubjectNameStrategy keySubjectStrategy, SubjectNameStrategy valueSubjectStrategy,
                          boolean specificAvroReader, Optional<Class<?>> specificKeyType,
                          Optional<Class<?>> specificValueType) {

    public static final String SCHEMA_REGISTRY_URL = RegistryClientConfig.URL;
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String MOCK_REGISTRIES = "streamgru.mock.registries";

    public SerdeConfig {
        raw = Map.copyOf(raw);
    }

    /** Defaults only: for serdes built around a client given in code and never configured. */
    public static SerdeConfig defaults() {
        return from(Map.of());
    }

    /** Reads the keys above. */
    public static SerdeConfig from(Map<String, ?> configs) {
        TypedConfig config = new TypedConfig(configs);
        return new SerdeConfig(withoutNullValues(configs),
                config.bool(AUTO_REGISTER_SCHEMAS, true),
                config.bool(USE_LATEST_VERSION, false),
                strategy(config, KEY_SUBJECT_NAME_STRATEGY),
                strategy(config, VALUE_SUBJECT_NAME_STRATEGY),
                config.bool(SPECIFIC_AVRO_READER, false),
                type(config, SPECIFIC_AVRO_KEY_TYPE),
                type(config, SPECIFIC_AVRO_VALUE_TYPE));
    }

    /** Subject naming for keys or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keySubjectStrategy : valueSubjectStrategy;
    }

    /** The configured class to read keys or values into. */
    public Optional<Class<?>> specificType(boolean isKey) {
        return isKey ? specificKeyType : specificValueType;
    }

    /**
     * A client for {@value #SCHEMA_REGISTRY_URL}: over HTTP with caches, or over the
     * {@link MockRegistries} scope a {@code mock://} URL names.
     *
     * @throws ConfigException if the URL is missing, or is {@code mock://} without
     *     {@value #MOCK_REGISTRIES}
     */
    public SchemaRegistryClient createClient() {
        String url = new TypedConfig(raw).string(SCHEMA_REGISTRY_URL).orElseThrow(() -> new ConfigException(
                SCHEMA_REGISTRY_URL, null, "the Schema Registry URL is required (http(s)://host:port or mock://scope)"));
        if (url.toLowerCase(java.util.Locale.ROOT).startsWith(MockRegistries.SCHEME)) {
            if (MockRegistries.scopeOf(url).isEmpty()) {
                throw new ConfigException(SCHEMA_REGISTRY_URL, url, "expected exactly one mock://scope");
            }
            Object registries = raw.get(MOCK_REGISTRIES);
            if (!(registries instanceof MockRegistries mock)) {
                throw new ConfigException(MOCK_REGISTRIES, registries, url + " needs a shared "
                        + MockRegistries.class.getName() + " instance under '" + MOCK_REGISTRIES + "' so that "
                        + "serializers and deserializers see the same registry (there is no JVM-wide one)");
            }
            return mock.client(url);
        }
        return CachingSchemaRegistryClient.overHttp(RegistryClientConfig.from(raw));
    }

    private static Map<String, ?> withoutNullValues(Map<String, ?> configs) {
        java.util.Map<String, Object> copy = new java.util.HashMap<>();
        configs.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    private static SubjectNameStrategy strategy(TypedConfig config, String key) {
        return config.raw(key).map(value -> SubjectNameStrategy.from(key, value)).orElseGet(TopicNameStrategy::new);
    }

    private static Optional<Class<?>> type(TypedConfig config, String key) {
        return config.raw(key).map(value -> {
            if (value instanceof Class<?> type) {
                return type;
            }
            try {
                // Trusted: the class name comes from the operator's configuration, not from the data.
                return Class.forName(value.toString().trim(), false, SerdeConfig.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ConfigException(key, value, "no such class");
            }
        });
    }
}
