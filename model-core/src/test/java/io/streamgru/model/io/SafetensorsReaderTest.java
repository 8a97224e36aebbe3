package io.streamgru.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Files assembled byte by byte, as other writers might produce them, valid and not. */
class SafetensorsReaderTest {

    @Test
    void readsHalfPrecisionExactly() throws Exception {
        short[] halves = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x03FF, (short) 0x8000, 0x7C00, (short) 0xFC00, 0x7E00, 0x3555};
        SafetensorsFile file = SafetensorsReader.read(file(
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[10],\"data_offsets\":[0,20]}}", shorts(halves)));

        Tensor h = file.tensor("h");
        assertThat(h.dtype()).isEqualTo(DType.F16);
        assertThat(Arrays.copyOf(h.data(), 8)).containsExactly(
                1.0, -2.0, 65504.0, 0x1p-24, 1023 * 0x1p-24, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(Double.doubleToRawLongBits(h.data()[5])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(h.data()[8]).isNaN();
        assertThat(h.data()[9]).isEqualTo(0x1.554p-2); // 0.333251953125, the half nearest 1/3
    }

    @Test
    void readsBfloat16AsTheUpperHalfOfAFloat() throws Exception {
        short[] values = {0x3F80, (short) 0xC049, 0x0001, 0x7F80};
        Tensor b = SafetensorsReader.read(file(
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", shorts(values))).tensor("b");

        assertThat(b.shape()).containsExactly(2, 2);
        assertThat(b.data()).containsExactly(1.0, -3.140625, 0x1p-133, Double.POSITIVE_INFINITY);
    }

    @Test
    void tensorsAreOrderedByWhereTheirBytesLieNotByHeaderKeyOrder() throws Exception {
        // Like the reference writer, which sorts header keys by name but may lay out bytes differently.
        byte[] data = doubles(1, 2, 3);
        SafetensorsFile file = SafetensorsReader.read(file("{"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                + "\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", data));

        assertThat(file.tensors().keySet()).containsExactly("b", "a");
        assertThat(file.tensor("b").data()).containsExactly(1, 2);
        assertThat(file.tensor("a").data()).containsExactly(3);
        assertThat(file.metadata()).containsEntry("format", "pt");
    }

    @Test
    void toleratesWhitespaceEscapesAndUnusedGaps() throws Exception {
        SafetensorsFile file = SafetensorsReader.read(file(
                "{ \"w\\u00e9\" : { \"shape\" : [ 1 ] , \"dtype\" : \"F64\", \"data_offsets\" : [ 8 , 16 ], \"x\": null } }\n  ",
                doubles(99, 7)));

        assertThat(file.tensor("wé").data()).containsExactly(7);
        assertThat(file.metadata()).isEmpty();
    }

    @Test
    void aFileTooShortForTheLengthFieldIsRejected() {
        assertMalformed(new byte[] {1, 2, 3}).hasMessageContaining("3 bytes long").hasMessageContaining("8-byte header length");
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRejected() {
        byte[] bytes = file("{}", new byte[0]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertMalformed(bytes).hasMessageContaining("header length 1000 (bytes 0-7) is larger than the 2 bytes");
        assertThatThrownBy(() -> SafetensorsReader.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("ends 2 bytes into the header");
    }

    @Test
    void anImplausibleHeaderLengthIsRejectedBeforeReadingIt() {
        byte[] bytes = file("{}", new byte[0]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertMalformed(bytes).hasMessageContaining("header length 18446744073709551615").hasMessageContaining("outside");
    }

    @Test
    void badJsonIsReportedWithItsPosition() {
        assertMalformed(file("{\"a\":{\"dtype\" \"F64\"}}", new byte[0]))
                .hasMessageContaining("bad JSON in header at character 14: expected ':'");
        assertMalformed(file("{\"a\":1,\"a\":2}", new byte[0])).hasMessageContaining("duplicate key \"a\"");
        assertMalformed(file("{\"a\":[1,2}", new byte[0])).hasMessageContaining("expected ',' or ']'");
        assertMalformed(file("{\"a\":1} x", new byte[0])).hasMessageContaining("after the end");
        assertMalformed(file("[1]", new byte[0])).hasMessageContaining("starts with '['");
        assertMalformed(file("{\"a\":" + "[".repeat(100), new byte[0])).hasMessageContaining("nesting deeper than 64");
    }

    @Test
    void aHeaderThatIsNotUtf8IsRejected() {
        byte[] bytes = file("{\"xx\":1}", new byte[0]);
        bytes[10] = (byte) 0xC3; // a lead byte followed by '"': malformed
        assertMalformed(bytes).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void offsetsOutsideTheDataAreRejected() {
        assertMalformed(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}", doubles(1, 2)))
                .hasMessageContaining("tensor 'w' data_offsets [8, 24] reach beyond the 16-byte data buffer");
        assertMalformed(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[8,0]}}", doubles(1)))
                .hasMessageContaining("tensor 'w' data_offsets [8, 0] end before they begin");
        assertMalformed(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[-8,0]}}", doubles(1)))
                .hasMessageContaining("tensor 'w' data_offsets must hold whole numbers >= 0, found -8");
    }

    @Test
    void overlappingTensorsAreRejectedNamingBoth() {
        assertMalformed(file("{"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}", doubles(1, 2, 3)))
                .hasMessageContaining("tensors 'a' [0, 16] and 'b' [8, 24] overlap");
    }

    @Test
    void offsetsThatDisagreeWithShapeAndDtypeAreRejected() {
        assertMalformed(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", doubles(1, 2)))
                .hasMessageContaining("tensor 'w' is F32 [3] = 12 bytes but its data_offsets [0, 16] span 16");
    }

    @Test
    void unknownAndUnsupportedDtypesAreRejected() {
        assertMalformed(file("{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", doubles(1, 2)))
                .hasMessageContaining("tensor 'w' has dtype 'F128', which is unknown or unsupported")
                .hasMessageContaining("F64, F32, F16, BF16");
        assertMalformed(file("{\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", doubles(1)))
                .hasMessageContaining("tensor 'n' has dtype 'I64'");
    }

    @Test
    void missingOrMistypedFieldsAreRejectedNamingTheTensor() {
        assertMalformed(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,8]}}", doubles(1)))
                .hasMessageContaining("tensor 'w' has no string \"dtype\"");
        assertMalformed(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", doubles(1)))
                .hasMessageContaining("tensor 'w' shape must hold whole numbers >= 0, found 1.5");
        assertMalformed(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0]}}", doubles(1)))
                .hasMessageContaining("tensor 'w' data_offsets must be [begin, end]");
        assertMalformed(file("{\"w\":[1]}", doubles(1))).hasMessageContaining("tensor 'w' must be an object");
        assertMalformed(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[99999999999],\"data_offsets\":[0,8]}}", doubles(1)))
                .hasMessageContaining("tensor 'w' dimension 0 is 99999999999, too large");
    }

    @Test
    void metadataMustMapStringsToStrings() {
        assertMalformed(file("{\"__metadata__\":{\"epochs\":3}}", new byte[0]))
                .hasMessageContaining("\"__metadata__\" entry \"epochs\" must be a string, found 3");
        assertMalformed(file("{\"__metadata__\":[]}", new byte[0]))
                .hasMessageContaining("\"__metadata__\" must be an object of strings, found the array []");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(byte[] bytes) {
        return assertThatThrownBy(() -> SafetensorsReader.read(bytes)).isInstanceOf(SafetensorsFormatException.class);
    }

    /** A file with this header (unpadded) and data. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static byte[] doubles(double... values) {
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            buf.putDouble(v);
        }
        return buf.array();
    }

    private static byte[] shorts(short... values) {
        ByteBuffer buf = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            buf.putShort(v);
        }
        return buf.array();
    }
}
