package io.streamgru.schemas.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

import java.util.Locale;

/**
 * How a serializer names the registry subject a record's schema is registered under.
 *
 * <p>Configured by {@code key.subject.name.strategy} / {@code value.subject.name.strategy} with a
 * short name ({@code topic}, {@code record}, {@code topic-record}), Confluent's class names
 * ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}, {@code RecordNameStrategy},
 * {@code TopicRecordNameStrategy}: same subjects as Confluent's serdes, so both can share topics), or
 * the name of a class implementing this interface with a public no-argument constructor.
 */
public interface SubjectNameStrategy {

    /** The subject for {@code schema} written to {@code topic} as a key or a value. */
    String subjectName(String topic, boolean isKey, Schema schema);

    /**
     * The strategy a configuration value names: one of the names above, a {@link Class}, or an
     * instance.
     */
    static SubjectNameStrategy from(String key, Object value) {
        if (value instanceof SubjectNameStrategy strategy) {
            return strategy;
        }
        if (value instanceof Class<?> type) {
            return instantiate(key, type);
        }
        String name = value.toString().trim();
        String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        boolean confluentOrOurs = name.startsWith("io.confluent.kafka.serializers.subject.")
                || name.startsWith(SubjectNameStrategy.class.getPackageName() + ".") || !name.contains(".");
        if (confluentOrOurs) {
            switch (simple) {
                case "topic", "topicnamestrategy":
                    return new TopicNameStrategy();
                case "record", "recordnamestrategy":
                    return new RecordNameStrategy();
                case "topic-record", "topicrecordnamestrategy":
                    return new TopicRecordNameStrategy();
                default:
                    if (!name.contains(".")) {
                        throw new ConfigException(key, value, "unknown subject name strategy; use topic, record, "
                                + "topic-record, a Confluent strategy class name or a class implementing "
                                + SubjectNameStrategy.class.getName());
                    }
            }
        }
        try {
            return instantiate(key, Class.forName(name, true, SubjectNameStrategy.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, value, "no such subject name strategy class");
        }
    }

    private static SubjectNameStrategy instantiate(String key, Class<?> type) {
        if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
            throw new ConfigException(key, type.getName(), "does not implement " + SubjectNameStrategy.class.getName());
        }
        try {
            return (SubjectNameStrategy) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(key, type.getName(), "cannot create it: " + e);
        }
    }
}
