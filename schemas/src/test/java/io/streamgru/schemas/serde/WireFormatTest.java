package io.streamgru.schemas.serde;

import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact bytes of the Confluent wire format. */
class WireFormatTest {

    private static final Schema PAIR = SchemaBuilder.record("Pair").namespace("t").fields()
            .requiredString("name").requiredInt("n").endRecord();

    private static GenericRecord pair(String name, int n) {
        GenericRecord record = new GenericData.Record(PAIR);
        record.put("name", name);
        record.put("n", n);
        return record;
    }

    @Test
    void magicByteThenBigEndianIdThenAvroBinary() {
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(new FixedIdRegistry(0x01020304))
                .serialize("pairs", pair("x", -2));
        // 0x00 | id 0x01020304 big-endian | "x": zig-zag length 1 = 0x02, 'x' = 0x78 | -2 zig-zag = 0x03
        assertThat(bytes).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04, 0x02, 0x78, 0x03);
    }

    @Test
    void theIdIsTheOneTheRegistryAssigned() {
        MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
        registry.register("other", Schema.create(Schema.Type.STRING));
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry).serialize("pairs", pair("", 0));
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(2).isEqualTo(registry.lookup("pairs-value", PAIR));
        assertThat(bytes).hasSize(ConfluentWireFormat.HEADER_SIZE + 2);
    }

    @Test
    void anIdAbove2Pow31ReadsBackAsTheSameInt() {
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(new FixedIdRegistry(-2)).serialize("t", pair("", 0));
        assertThat(bytes).startsWith(0x00, 0xff, 0xff, 0xff, 0xfe);
        assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(-2);
    }

    @Test
    void primitivesUseTheirPrimitiveSchemaLikeConfluentsKeySerializer() {
        MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
        byte[] bytes = new ConfluentAvroSerializer<String>(registry, java.util.Map.of(), true).serialize("t", "ab");
        assertThat(bytes).containsExactly(0x00, 0, 0, 0, 1, 0x04, 'a', 'b');
        assertThat(registry.latest("t-key").schema()).isEqualTo(Schema.create(Schema.Type.STRING));
        assertThat(new ConfluentAvroDeserializer<Object>(registry).deserialize("t", bytes)).hasToString("ab");
    }

    @Test
    void nullIsATombstoneBothWays() {
        MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
        assertThat(new ConfluentAvroSerializer<GenericRecord>(registry).serialize("t", null)).isNull();
        assertThat(new ConfluentAvroDeserializer<GenericRecord>(registry).deserialize("t", null)).isNull();
        assertThat(registry.subjects()).isEmpty();
    }
}
