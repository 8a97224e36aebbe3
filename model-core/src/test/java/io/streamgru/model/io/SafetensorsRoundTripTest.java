package io.streamgru.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SafetensorsRoundTripTest {

    private static final double[] AWKWARD = {
        0.0, -0.0, 1.0, -1.5, Math.PI, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-300, 0.1
    };

    @Test
    void f64TensorsAndMetadataSurviveARoundTripBitForBit() throws Exception {
        List<Tensor> tensors = List.of(
                new Tensor("gru.weight_ih_l0", DType.F64, new int[] {3, 4}, random(12, 1)),
                new Tensor("awkward values", DType.F64, new int[] {AWKWARD.length}, AWKWARD.clone()),
                new Tensor("scalar", DType.F64, new int[] {}, new double[] {42.0}),
                new Tensor("empty", DType.F64, new int[] {0, 3}, new double[0]),
                new Tensor("ünï \"q\" \\ \n", DType.F64, new int[] {2, 1, 1}, new double[] {-2, 2}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("streamgru.note", "quotes \" backslash \\ newline \n tab \t bell \u0007 π");

        byte[] bytes = SafetensorsWriter.toBytes(tensors, metadata);
        SafetensorsFile file = SafetensorsReader.read(bytes);

        assertThat(file.metadata()).containsExactlyEntriesOf(metadata);
        assertThat(file.tensors().keySet()).containsExactly(tensors.stream().map(Tensor::name).toArray(String[]::new));
        for (Tensor expected : tensors) {
            Tensor actual = file.tensor(expected.name());
            assertThat(actual.dtype()).isEqualTo(DType.F64);
            assertThat(actual.shape()).containsExactly(expected.shape());
            assertThat(rawBits(actual.data())).as(expected.name()).containsExactly(rawBits(expected.data()));
        }
    }

    @Test
    void headerIsPaddedWithSpacesSoTheDataStartsOnAnEightByteBoundary() throws Exception {
        for (int nameLength = 1; nameLength <= 8; nameLength++) {
            String name = "x".repeat(nameLength);
            byte[] bytes = SafetensorsWriter.toBytes(List.of(new Tensor(name, DType.F64, new int[] {1}, new double[] {1})), Map.of());
            long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);

            assertThat(headerLength % 8).isZero();
            assertThat(header.strip()).isEqualTo("{\"" + name + "\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}");
            assertThat(header.substring(header.strip().length())).matches(" {0,7}");
            assertThat(bytes).hasSize(8 + (int) headerLength + 8);
        }
    }

    @Test
    void f32TensorsComeBackAsTheNearestFloats() throws Exception {
        double[] values = random(1000, 2);
        values[0] = 1e-50; // below float range: rounds to 0
        values[1] = 1.0 / 3;
        byte[] bytes = SafetensorsWriter.toBytes(List.of(new Tensor("w", DType.F32, new int[] {10, 100}, values)), Map.of());
        Tensor back = SafetensorsReader.read(bytes).tensor("w");

        assertThat(bytes.length).isLessThan(8 + 200 + 4 * 1000);
        assertThat(back.dtype()).isEqualTo(DType.F32);
        for (int i = 0; i < values.length; i++) {
            assertThat(back.data()[i]).isEqualTo((double) (float) values[i]);
            assertThat(Math.abs(back.data()[i] - values[i])).isLessThanOrEqualTo(Math.ulp((float) values[i]) / 2.0);
        }
        assertThat(back.data()[1]).isNotEqualTo(1.0 / 3);
    }

    @Test
    void aFileMayMixDtypesAndIsReadTheSameFromAStream() throws Exception {
        List<Tensor> tensors = List.of(
                new Tensor("a", DType.F32, new int[] {3}, new double[] {1, 2, 3}),
                new Tensor("b", DType.F64, new int[] {2}, new double[] {0.1, 0.2}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsWriter.write(out, tensors, Map.of("k", "v"));

        SafetensorsFile fromStream = SafetensorsReader.read(new ByteArrayInputStream(out.toByteArray()));
        SafetensorsFile fromBytes = SafetensorsReader.read(out.toByteArray());

        for (SafetensorsFile file : List.of(fromStream, fromBytes)) {
            assertThat(file.metadata()).containsExactly(Map.entry("k", "v"));
            assertThat(file.tensor("a").dtype()).isEqualTo(DType.F32);
            assertThat(file.tensor("a").data()).containsExactly(1, 2, 3);
            assertThat(file.tensor("b").data()).containsExactly(0.1, 0.2);
        }
    }

    @Test
    void largeTensorsCrossTheWritersChunkBoundariesIntact() throws Exception {
        double[] values = random(70_001, 3); // > 64 KiB as F64 and as F32, and not a multiple of either
        List<Tensor> tensors = List.of(
                new Tensor("f32", DType.F32, new int[] {values.length}, values),
                new Tensor("f64", DType.F64, new int[] {values.length}, values));
        SafetensorsFile back = SafetensorsReader.read(SafetensorsWriter.toBytes(tensors, Map.of()));

        assertThat(back.tensor("f64").data()).isEqualTo(values);
        assertThat(back.tensor("f32").data()[70_000]).isEqualTo((double) (float) values[70_000]);
    }

    @Test
    void theWriterRefusesWhatItCannotWriteFaithfully() {
        Tensor half = new Tensor("h", DType.F16, new int[] {1}, new double[] {1});
        Tensor a = new Tensor("a", DType.F64, new int[] {1}, new double[] {1});
        Tensor reserved = new Tensor("__metadata__", DType.F64, new int[] {1}, new double[] {1});

        assertThatThrownBy(() -> SafetensorsWriter.toBytes(List.of(half), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'h' has dtype F16");
        assertThatThrownBy(() -> SafetensorsWriter.toBytes(List.of(a, a), Map.of())).hasMessageContaining("'a'");
        assertThatThrownBy(() -> SafetensorsWriter.toBytes(List.of(reserved), Map.of())).hasMessageContaining("reserved");
        assertThatThrownBy(() -> new Tensor("t", DType.F64, new int[] {2, 3}, new double[5]))
                .hasMessageContaining("needs 6 values but has 5");
    }

    private static double[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble(-10, 10);
        }
        return x;
    }

    private static long[] rawBits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
