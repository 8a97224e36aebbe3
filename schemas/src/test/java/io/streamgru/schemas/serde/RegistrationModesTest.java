package io.streamgru.schemas.serde;

import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import io.streamgru.schemas.serde.SerdeException.Reason;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** auto.register.schemas and use.latest.version decide which schema id a record is written with. */
class RegistrationModesTest {

    private static final Schema V1 = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").name("unit").type().stringType().stringDefault("C").endRecord();

    private final MockSchemaRegistryClient registry = new MockSchemaRegistryClient();

    private static GenericRecord v1(String id) {
        GenericRecord record = new GenericData.Record(V1);
        record.put("id", id);
        return record;
    }

    @Test
    void autoRegistrationIsTheDefault() {
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry).serialize("r", v1("a"));
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(registry.latest("r-value").id());
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsRefused() {
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(registry,
                Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);
        assertThatThrownBy(() -> serializer.serialize("r", v1("a")))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_REGISTERED))
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void withoutAutoRegistrationAPreRegisteredSchemaIsLookedUp() {
        int id = registry.register("r-value", V1);
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry,
                Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS, false), false).serialize("r", v1("a"));
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchemaFillingDefaults() {
        registry.register("r-value", V1);
        int latest = registry.register("r-value", V2);
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry, Map.of(
                SerdeConfig.AUTO_REGISTER_SCHEMAS, false, SerdeConfig.USE_LATEST_VERSION, true), false)
                .serialize("r", v1("a"));
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(latest);
        GenericRecord back = new ConfluentAvroDeserializer<GenericRecord>(registry).deserialize("r", bytes);
        assertThat(back.getSchema()).isEqualTo(V2);
        assertThat(back.get("unit")).hasToString("C");
    }

    @Test
    void useLatestVersionRefusesARecordTheLatestSchemaCannotHold() {
        Schema unrelated = SchemaBuilder.record("Reading").namespace("t").fields().requiredLong("count").endRecord();
        registry.register("r-value", unrelated);
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(registry, Map.of(
                SerdeConfig.AUTO_REGISTER_SCHEMAS, false, SerdeConfig.USE_LATEST_VERSION, true), false);
        assertThatThrownBy(() -> serializer.serialize("r", v1("a")))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA));
    }

    @Test
    void anIncompatibleEvolutionIsRefusedByTheRegistry() {
        new ConfluentAvroSerializer<GenericRecord>(registry).serialize("r", v1("a"));
        Schema breaking = SchemaBuilder.record("Reading").namespace("t").fields().requiredString("id")
                .requiredLong("count").endRecord();
        GenericRecord record = new GenericData.Record(breaking);
        record.put("id", "a");
        record.put("count", 1L);
        assertThatThrownBy(() -> new ConfluentAvroSerializer<GenericRecord>(registry).serialize("r", record))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("count");
    }

    @Test
    void aValueThatBreaksItsOwnSchemaIsAnEncodeError() {
        GenericRecord missingId = new GenericData.Record(V1);
        assertThatThrownBy(() -> new ConfluentAvroSerializer<GenericRecord>(registry).serialize("r", missingId))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AVRO_ENCODE))
                .hasMessageContaining("t.Reading");
    }

    @Test
    void aNonAvroObjectIsUnsupported() {
        assertThatThrownBy(() -> new ConfluentAvroSerializer<Object>(registry).serialize("r", new java.util.Date()))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE))
                .hasMessageContaining("java.util.Date");
    }
}
