package io.streamgru.schemas.serde;

import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.ModelSnapshot;
import io.streamgru.schemas.SampleMessages;
import io.streamgru.schemas.registry.CachingSchemaRegistryClient;
import io.streamgru.schemas.registry.memory.MockRegistries;
import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Serdes built the way Kafka builds them: no-arg constructor, then configure() with a map. */
class SerdeConfigurationTest {

    @Test
    void mockScopesAreSharedThroughTheConfiguredHolderOnly() {
        MockRegistries registries = new MockRegistries();
        Map<String, Object> config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://app",
                SerdeConfig.MOCK_REGISTRIES, registries, SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Forecast.class.getName());
        Serde<Forecast> producerSide = configured(config);
        Serde<Forecast> consumerSide = configured(config);
        byte[] bytes = producerSide.serializer().serialize("forecasts", SampleMessages.forecast());
        assertThat(consumerSide.deserializer().deserialize("forecasts", bytes)).isEqualTo(SampleMessages.forecast());
        assertThat(registries.scope("app").subjects()).containsExactly("forecasts-value");
    }

    @Test
    void aMockUrlWithoutAHolderIsRefusedWithTheReason() {
        assertThatThrownBy(() -> configured(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://app")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SerdeConfig.MOCK_REGISTRIES)
                .hasMessageContaining("no JVM-wide one");
    }

    @Test
    void aMissingUrlIsRefused() {
        assertThatThrownBy(() -> configured(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void specificAvroReaderPicksStreamGruTypesByTheWritersName() {
        MockRegistries registries = new MockRegistries();
        Map<String, Object> config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://app",
                SerdeConfig.MOCK_REGISTRIES, registries, SerdeConfig.SPECIFIC_AVRO_READER, "true");
        Serde<Object> serde = configured(config);
        Object snapshot = serde.deserializer().deserialize("model",
                serde.serializer().serialize("model", SampleMessages.snapshot()));
        assertThat(snapshot).isInstanceOf(ModelSnapshot.class).isEqualTo(SampleMessages.snapshot());
    }

    @Test
    void specificAvroReaderRefusesTypesItWasNotToldAbout() {
        MockRegistries registries = new MockRegistries();
        Serde<Object> generic = configured(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://app",
                SerdeConfig.MOCK_REGISTRIES, registries));
        org.apache.avro.Schema schema = org.apache.avro.SchemaBuilder.record("Evil").namespace("java.lang")
                .fields().requiredString("x").endRecord();
        org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(schema);
        record.put("x", "y");
        byte[] bytes = generic.serializer().serialize("t", record);
        Serde<Object> specific = configured(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://app",
                SerdeConfig.MOCK_REGISTRIES, registries, SerdeConfig.SPECIFIC_AVRO_READER, true));
        assertThatThrownBy(() -> specific.deserializer().deserialize("t", bytes))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.UNSUPPORTED_TYPE))
                .hasMessageContaining("java.lang.Evil");
    }

    @Test
    void anHttpUrlGivesOneCachingClientSharedByBothHalves() {
        try (LocalSchemaRegistryServer server = LocalSchemaRegistryServer.builder().start()) {
            ConfluentAvroSerde<GenericRecord> serde = configured(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, server.url()));
            assertThat(((ConfluentAvroSerializer<GenericRecord>) serde.serializer()).client())
                    .isInstanceOf(CachingSchemaRegistryClient.class)
                    .isSameAs(((ConfluentAvroDeserializer<GenericRecord>) serde.deserializer()).client());
            serde.close();
        }
    }

    @Test
    void aSteadyStreamOfRecordsMakesNoRegistryCallsAfterTheFirst() {
        try (LocalSchemaRegistryServer server = LocalSchemaRegistryServer.builder().start()) {
            Serde<Forecast> serde = configured(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                    SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Forecast.class));
            Serde<Forecast> reader = configured(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                    SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, Forecast.class));
            reader.deserializer().deserialize("f", serde.serializer().serialize("f", SampleMessages.forecast()));
            long afterFirst = server.requestCount();
            for (int i = 0; i < 100; i++) {
                reader.deserializer().deserialize("f", serde.serializer().serialize("f", SampleMessages.forecast()));
            }
            assertThat(afterFirst).isEqualTo(2); // one register, one fetch by id
            assertThat(server.requestCount()).isEqualTo(afterFirst);
        }
    }

    private static <T> ConfluentAvroSerde<T> configured(Map<String, ?> config) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>();
        serde.configure(new HashMap<>(config), false);
        return serde;
    }
}
