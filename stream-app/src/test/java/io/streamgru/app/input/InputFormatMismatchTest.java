package io.streamgru.app.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamgru.app.input.InvalidRecordException.Reason;
import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import io.streamgru.schemas.serde.ConfluentAvroDeserializer;
import io.streamgru.schemas.serde.ConfluentAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * A topic read with the wrong {@code input.format} says which format to set: Confluent-framed Avro
 * read as JSON, and JSON read as Avro, are dead-lettered with a reason a person can act on.
 */
class InputFormatMismatchTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"Reading","fields":[{"name":"load","type":"double"},{"name":"temperature","type":"double"}]}""");
    private final InputFields fields = InputFields.of(null, null, List.of("load"), "temperature");
    private final MockSchemaRegistryClient registry = new MockSchemaRegistryClient();

    @Test
    void confluentFramedAvroReadAsJsonSaysToSetInputFormatAvro() {
        ConfluentAvroSerializer<Object> avro = new ConfluentAvroSerializer<>(registry, Map.of("schema.registry.url", "mock://x"), false);
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("load", 1.0);
        r.put("temperature", 20.0);
        byte[] value = avro.serialize("readings", r);

        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> new JsonRecordDecoder(fields)
                .decode("readings", "k".getBytes(StandardCharsets.UTF_8), value, 0, new Observation(1)));

        assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).isEqualTo("value looks like Confluent-framed Avro (schema id "
                + registry.lookup("readings-value", SCHEMA) + "), not JSON: set input.format: avro");
    }

    @Test
    void jsonReadAsAvroSaysToSetInputFormatJson() {
        ConfluentAvroDeserializer<Object> values = new ConfluentAvroDeserializer<>(registry);
        values.configure(Map.of("schema.registry.url", "mock://x"), false);
        ConfluentAvroDeserializer<Object> keys = new ConfluentAvroDeserializer<>(registry);
        keys.configure(Map.of("schema.registry.url", "mock://x"), true);
        byte[] value = "{\"load\":1,\"temperature\":20}".getBytes(StandardCharsets.UTF_8);

        InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> new AvroRecordDecoder(values,
                keys, fields).decode("readings", "k".getBytes(StandardCharsets.UTF_8), value, 0, new Observation(1)));

        assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).isEqualTo("value looks like JSON, not Confluent-framed Avro: set input.format: json");
    }
}
