package io.streamgru.schemas.serde;

import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.SampleMessages;
import io.streamgru.schemas.registry.RegistryClientConfig;
import io.streamgru.schemas.registry.HttpSchemaRegistryClient;
import io.streamgru.schemas.registry.memory.MockSchemaRegistryClient;
import io.streamgru.schemas.serde.SerdeException.Reason;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way a record can be unreadable fails with its own {@link Reason}, the code a streaming app
 * puts on the dead-letter record, and a message a person can act on.
 */
class DeserializationFailureTest {

    private final MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
    private final ConfluentAvroSerializer<Forecast> serializer = new ConfluentAvroSerializer<>(registry);
    private final ConfluentAvroDeserializer<Forecast> deserializer = new ConfluentAvroDeserializer<>(registry, Forecast.class);

    private byte[] forecastBytes() {
        return serializer.serialize("forecasts", SampleMessages.forecast());
    }

    @Test
    void fewerThanFiveBytesAreTooShort() {
        for (int length = 0; length < 5; length++) {
            assertThat(reasonFor(new byte[length])).as(length + " bytes").isEqualTo(Reason.TOO_SHORT);
        }
    }

    @Test
    void aFirstByteOtherThanZeroIsABadMagicByte() {
        byte[] json = "{\"series_id\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> deserializer.deserialize("forecasts", json))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC_BYTE))
                .hasMessageContaining("first byte is 0x7b, expected the Confluent magic byte 0x00");
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsAnUnknownSchemaId() {
        byte[] bytes = forecastBytes();
        bytes[4] = 99;
        assertThatThrownBy(() -> deserializer.deserialize("forecasts", bytes))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("no schema with id 99");
    }

    @Test
    void aTruncatedBodyIsAnAvroDecodeError() {
        byte[] bytes = forecastBytes();
        assertThat(reasonFor(Arrays.copyOf(bytes, bytes.length - 3))).isEqualTo(Reason.AVRO_DECODE);
    }

    @Test
    void bytesLeftAfterACompleteRecordAreAnAvroDecodeError() {
        byte[] bytes = forecastBytes();
        assertThatThrownBy(() -> deserializer.deserialize("forecasts", Arrays.copyOf(bytes, bytes.length + 2)))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AVRO_DECODE))
                .hasMessageContaining("bytes left after a complete io.streamgru.schemas.Forecast");
    }

    @Test
    void aHugeClaimedLengthFailsFastInsteadOfAllocating() {
        byte[] bytes = forecastBytes();
        // The series id's length is the first varint of the body: claim ~2^30 bytes.
        byte[] corrupt = new byte[] {bytes[0], bytes[1], bytes[2], bytes[3], bytes[4],
                (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'};
        long start = System.nanoTime();
        assertThat(reasonFor(corrupt)).isEqualTo(Reason.AVRO_DECODE);
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void randomGarbageAfterAValidHeaderNeverEscapesAsAnotherException() {
        byte[] header = Arrays.copyOf(forecastBytes(), ConfluentWireFormat.HEADER_SIZE);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 500; i++) {
            byte[] garbage = new byte[ConfluentWireFormat.HEADER_SIZE + random.nextInt(60)];
            random.nextBytes(garbage);
            System.arraycopy(header, 0, garbage, 0, header.length);
            try {
                deserializer.deserialize("forecasts", garbage);
            } catch (SerdeException e) {
                assertThat(e.reason()).isEqualTo(Reason.AVRO_DECODE);
            }
        }
    }

    @Test
    void aWriterSchemaTheReaderCannotResolveIsIncompatible() {
        Schema other = SchemaBuilder.record("Forecast").namespace("io.streamgru.schemas").fields()
                .requiredString("series_id").endRecord();
        GenericRecord record = new GenericData.Record(other);
        record.put("series_id", "s");
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry).serialize("legacy", record);
        assertThatThrownBy(() -> deserializer.deserialize("legacy", bytes))
                .isInstanceOfSatisfying(SerdeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("cannot be read as io.streamgru.schemas.Forecast");
    }

    @Test
    void anUnreachableRegistryIsTransientNotTheRecordsFault() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        HttpSchemaRegistryClient down = new HttpSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "http://127.0.0.1:" + deadPort, RegistryClientConfig.MAX_RETRIES, 1,
                RegistryClientConfig.RETRIES_WAIT_MS, 1)));
        byte[] bytes = forecastBytes();
        assertThatThrownBy(() -> new ConfluentAvroDeserializer<>(down, Forecast.class).deserialize("forecasts", bytes))
                .isInstanceOfSatisfying(SerdeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
                    assertThat(e.reason().isTransient()).isTrue();
                });
    }

    @Test
    void aFailureIsAKafkaSerializationException() {
        assertThatThrownBy(() -> deserializer.deserialize("forecasts", new byte[] {1}))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
    }

    private Reason reasonFor(byte[] bytes) {
        try {
            deserializer.deserialize("forecasts", bytes);
        } catch (SerdeException e) {
            return e.reason();
        }
        throw new AssertionError("no failure for " + Arrays.toString(bytes));
    }
}
