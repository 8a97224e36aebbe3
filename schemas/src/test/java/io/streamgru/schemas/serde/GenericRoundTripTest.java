package io.streamgru.schemas.serde;

import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Any user schema, not only StreamGRU's, round-trips as GenericRecord. */
class GenericRoundTripTest {

    private static final Schema USER_SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "namespace": "com.example.shop", "fields": [
              {"name": "id", "type": "long"},
              {"name": "customer", "type": {"type": "record", "name": "Customer", "fields": [
                {"name": "name", "type": "string"},
                {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
                  {"name": "city", "type": "string"}, {"name": "zip", "type": ["null", "string"], "default": null}
                ]}], "default": null}
              ]}},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                {"name": "sku", "type": {"type": "fixed", "name": "Sku", "size": 4}},
                {"name": "quantity", "type": "int"},
                {"name": "price", "type": "double"}
              ]}}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
              {"name": "tags", "type": {"type": "map", "values": "string"}},
              {"name": "payload", "type": "bytes"},
              {"name": "discount", "type": ["null", "float", "string"], "default": null}
            ]}""");

    @Test
    void aNestedUserRecordComesBackEqual() {
        Schema customerSchema = USER_SCHEMA.getField("customer").schema();
        Schema addressSchema = customerSchema.getField("address").schema().getTypes().get(1);
        Schema lineSchema = USER_SCHEMA.getField("lines").schema().getElementType();
        GenericRecord order = new GenericRecordBuilder(USER_SCHEMA)
                .set("id", 1234567890123L)
                .set("customer", new GenericRecordBuilder(customerSchema)
                        .set("name", "Ada")
                        .set("address", new GenericRecordBuilder(addressSchema).set("city", "London").build())
                        .build())
                .set("lines", List.of(new GenericRecordBuilder(lineSchema)
                        .set("sku", new GenericData.Fixed(lineSchema.getField("sku").schema(), new byte[] {1, 2, 3, 4}))
                        .set("quantity", 2).set("price", 9.99).build()))
                .set("status", new GenericData.EnumSymbol(USER_SCHEMA.getField("status").schema(), "PAID"))
                .set("tags", Map.of("gift", "yes"))
                .set("payload", ByteBuffer.wrap(new byte[] {0, -1}))
                .set("discount", 0.1f)
                .build();
        MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry).serialize("orders", order);
        GenericRecord back = new ConfluentAvroDeserializer<GenericRecord>(registry).deserialize("orders", bytes);
        assertThat(back.getSchema()).isEqualTo(USER_SCHEMA);
        // Avro's record equality treats decoded Utf8 and the original Strings alike.
        assertThat(back).isEqualTo(order);
        assertThat(back.toString()).isEqualTo(order.toString());
    }

    @Test
    void aGenericDeserializerReadsSpecificallyWrittenStreamGruMessages() {
        MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
        byte[] bytes = new ConfluentAvroSerializer<io.streamgru.schemas.Forecast>(registry)
                .serialize("forecasts", io.streamgru.schemas.SampleMessages.forecast());
        GenericRecord back = new ConfluentAvroDeserializer<GenericRecord>(registry).deserialize("forecasts", bytes);
        assertThat(back.get("series_id")).hasToString("sensor-7");
        // Generic records carry logical types as their underlying type: epoch milliseconds.
        assertThat(back.get("event_time")).isEqualTo(io.streamgru.schemas.SampleMessages.T0.toEpochMilli());
        assertThat(back.get("predictions")).asList().containsExactly(21.9, 22.3, 22.75);
    }
}
