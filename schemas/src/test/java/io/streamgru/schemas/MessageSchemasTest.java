package io.streamgru.schemas;

import io.streamgru.schemas.numeric.PackedArrayCodec;
import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import io.streamgru.schemas.serde.ConfluentAvroDeserializer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The StreamGRU message schemas: what they contain, how they evolve, and that they survive the wire. */
class MessageSchemasTest {

    private static final List<Schema> MESSAGES = List.of(SensorReading.getClassSchema(), Forecast.getClassSchema(),
            ModelSnapshot.getClassSchema(), DeadLetter.getClassSchema());

    @Test
    void everyMessageLivesInTheStreamGruNamespace() {
        for (Schema schema : MESSAGES) {
            assertThat(schema.getNamespace()).as(schema.getName()).isEqualTo("io.streamgru.schemas");
        }
        assertThat(ModelConfig.getClassSchema().getNamespace()).isEqualTo("io.streamgru.schemas");
        assertThat(PackedArray.getClassSchema().getNamespace()).isEqualTo("io.streamgru.schemas");
    }

    @Test
    void everyNullableFieldDefaultsToNullSoItCanBeAddedLater() {
        for (Schema schema : MESSAGES) {
            for (Schema.Field field : schema.getFields()) {
                if (field.schema().isNullable()) {
                    assertThat(field.hasDefaultValue()).as(schema.getName() + "." + field.name()).isTrue();
                    assertThat(field.schema().getTypes().get(0).getType()).as(schema.getName() + "." + field.name())
                            .isEqualTo(Schema.Type.NULL);
                }
            }
        }
    }

    @Test
    void forecastCarriesPredictionVersionAndResolution() {
        assertThat(Forecast.getClassSchema().getFields()).extracting(Schema.Field::name).containsExactly(
                "series_id", "event_time", "horizon", "prediction", "predictions", "model_version", "config_hash",
                "actual", "resolved_prediction", "error", "persistence_error", "resolved_event_time",
                "drift", "lower", "upper", "interval_level", "model_forecast", "expert");
        assertThat(Forecast.getClassSchema().getField("event_time").schema().getLogicalType().getName())
                .isEqualTo("timestamp-millis");
    }

    @Test
    void forecastsWrittenBeforeTheDriftFieldReadWithDriftFalse() throws Exception {
        // The schema as it was before the field: the fields before it.
        Schema current = Forecast.getClassSchema();
        int drift = current.getField("drift").pos();
        Schema old = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream().filter(f -> f.pos() < drift)
                        .map(f -> new Schema.Field(f, f.schema())).toList());
        assertThat(org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
                .as("and old readers skip it").isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);

        Forecast sample = SampleMessages.forecast();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        // the old schema's fields are the class's first ones, at the same positions
        new org.apache.avro.specific.SpecificDatumWriter<Forecast>(old,
                org.apache.avro.specific.SpecificData.getForClass(Forecast.class)).write(sample, encoder);
        encoder.flush();
        org.apache.avro.generic.GenericRecord read = new org.apache.avro.generic.GenericDatumReader<
                org.apache.avro.generic.GenericRecord>(old, current).read(null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.get("drift")).isEqualTo(false);
        assertThat(read.get("prediction")).isEqualTo(sample.getPrediction());
    }

    @Test
    void eachMessageSurvivesTheConfluentSerdeUnchanged() {
        MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
        for (SpecificRecordBase message : SampleMessages.all()) {
            @SuppressWarnings("unchecked")
            Class<SpecificRecordBase> type = (Class<SpecificRecordBase>) message.getClass();
            // One topic per type: a topic's subject accepts only compatible evolutions of one record.
            String topic = type.getSimpleName();
            byte[] bytes = new ConfluentAvroSerializer<SpecificRecordBase>(registry).serialize(topic, message);
            SpecificRecordBase back = new ConfluentAvroDeserializer<>(registry, type).deserialize(topic, bytes);
            assertThat(back).as(type.getSimpleName()).isEqualTo(message);
        }
    }

    @Test
    void aMillionParameterSnapshotInFloat32TakesAboutFourMebibytes() {
        double[] parameters = new Random(1).doubles(1_000_000, -1, 1).toArray();
        ModelSnapshot snapshot = SampleMessages.snapshot();
        snapshot.setParameters(PackedArrayCodec.pack(parameters, Dtype.FLOAT32));
        byte[] bytes = new ConfluentAvroSerializer<ModelSnapshot>(new MockSchemaRegistryClient())
                .serialize("model", snapshot);
        assertThat(bytes.length).isBetween(4_000_000, 4_000_000 + 2_000);
    }
}
