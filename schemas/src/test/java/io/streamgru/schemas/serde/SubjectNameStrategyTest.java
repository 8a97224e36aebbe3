package io.streamgru.schemas.serde;

import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.SampleMessages;
import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subjects are named as Confluent's serdes name them, whichever way the strategy is configured. */
class SubjectNameStrategyTest {

    private static final Schema FORECAST = Forecast.getClassSchema();

    @Test
    void topicStrategyNamesTopicDashKeyOrValue() {
        assertThat(new TopicNameStrategy().subjectName("forecasts", false, FORECAST)).isEqualTo("forecasts-value");
        assertThat(new TopicNameStrategy().subjectName("forecasts", true, FORECAST)).isEqualTo("forecasts-key");
    }

    @Test
    void recordStrategyNamesTheRecordsFullName() {
        assertThat(new RecordNameStrategy().subjectName("forecasts", false, FORECAST))
                .isEqualTo("io.streamgru.schemas.Forecast");
    }

    @Test
    void topicRecordStrategyNamesBoth() {
        assertThat(new TopicRecordNameStrategy().subjectName("forecasts", true, FORECAST))
                .isEqualTo("forecasts-io.streamgru.schemas.Forecast");
    }

    @Test
    void recordStrategiesNeedANamedSchema() {
        assertThatThrownBy(() -> new RecordNameStrategy().subjectName("t", true, Schema.create(Schema.Type.STRING)))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.UNSUPPORTED_TYPE));
    }

    @Test
    void shortNamesConfluentClassNamesAndOurClassesAllWork() {
        Map<String, Class<?>> expected = Map.of(
                "topic", TopicNameStrategy.class,
                "record", RecordNameStrategy.class,
                "topic-record", TopicRecordNameStrategy.class,
                "io.confluent.kafka.serializers.subject.TopicNameStrategy", TopicNameStrategy.class,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy", RecordNameStrategy.class,
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy", TopicRecordNameStrategy.class,
                RecordNameStrategy.class.getName(), RecordNameStrategy.class);
        expected.forEach((name, type) -> assertThat(SubjectNameStrategy.from("k", name)).as(name).isInstanceOf(type));
        assertThat(SubjectNameStrategy.from("k", TopicRecordNameStrategy.class)).isInstanceOf(TopicRecordNameStrategy.class);
    }

    @Test
    void aCustomStrategyClassIsInstantiated() {
        assertThat(SubjectNameStrategy.from("k", Upper.class.getName()).subjectName("t", false, FORECAST))
                .isEqualTo("T");
    }

    @Test
    void unknownNamesAreConfigErrorsNamingTheKey() {
        assertThatThrownBy(() -> SubjectNameStrategy.from(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "by-mood"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("value.subject.name.strategy");
        assertThatThrownBy(() -> SubjectNameStrategy.from("k", "com.example.Missing"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such subject name strategy class");
        assertThatThrownBy(() -> SubjectNameStrategy.from("k", String.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not implement");
    }

    @Test
    void theSerializerRegistersUnderTheConfiguredSubjects() {
        MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
        new ConfluentAvroSerializer<Forecast>(registry, Map.of(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "record"), false)
                .serialize("forecasts", SampleMessages.forecast());
        new ConfluentAvroSerializer<Forecast>(registry, Map.of(SerdeConfig.KEY_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"), true)
                .serialize("forecasts", SampleMessages.forecast());
        new ConfluentAvroSerializer<Forecast>(registry).serialize("forecasts", SampleMessages.forecast());
        assertThat(registry.subjects()).containsExactly("io.streamgru.schemas.Forecast",
                "forecasts-io.streamgru.schemas.Forecast", "forecasts-value");
    }

    /** A user-defined strategy. */
    public static final class Upper implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic.toUpperCase(java.util.Locale.ROOT);
        }
    }
}
