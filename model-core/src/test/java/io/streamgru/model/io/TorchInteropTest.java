package io.streamgru.model.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.init.ParameterInitializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files from and for PyTorch. The fixture and its expected contents come from
 * {@code src/test/python/make_safetensors_fixture.py} (a float64 module with {@code gru} =
 * nn.GRU(3, 5, num_layers=2) and {@code head} = nn.Linear(5, 2)); the files this test writes to
 * {@code target/interop/} are for {@code src/test/python/check_streamgru_safetensors.py}.
 */
class TorchInteropTest {

    private static final String FIXTURE = "/fixtures/torch_gru2_linear.safetensors";

    private static byte[] fixtureBytes;
    private static Expected expected;

    @BeforeAll
    static void load() throws IOException {
        fixtureBytes = resource(FIXTURE);
        expected = Expected.parse(new String(resource("/fixtures/torch_gru2_linear.expected.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTorchWrittenFileWithItsNamesShapesOrderMetadataAndExactValues() throws Exception {
        SafetensorsFile file = SafetensorsReader.read(fixtureBytes);

        assertThat(file.metadata()).containsExactlyEntriesOf(expected.metadata);
        assertThat(file.tensors().keySet()).containsExactlyElementsOf(expected.shapes.keySet());
        for (Map.Entry<String, int[]> e : expected.shapes.entrySet()) {
            Tensor t = file.tensor(e.getKey());
            assertThat(t.dtype()).as(e.getKey()).isEqualTo(DType.F64);
            assertThat(t.shape()).as(e.getKey()).containsExactly(e.getValue());
        }
        assertThat(expected.values).hasSize(342); // every parameter of the module
        for (Value v : expected.values) {
            double actual = file.tensor(v.name).data()[v.index];
            assertThat(Double.doubleToRawLongBits(actual)).as("%s[%d]", v.name, v.index)
                    .isEqualTo(Double.doubleToRawLongBits(v.value));
        }
    }

    @Test
    void infersTheModuleShapeAndPlacesEachTensorAtItsLayoutOffset() throws Exception {
        SafetensorsFile file = SafetensorsReader.read(fixtureBytes);

        GruConfig config = StateDict.inferConfig(file.tensors());
        assertThat(config).isEqualTo(GruConfig.linear(3, 5, 2, 2));

        ParameterLayout layout = new ParameterLayout(config);
        double[] params = StateDict.fromTensors(layout, file.tensors());
        for (Value v : expected.values) {
            assertThat(params[layout.tensor(v.name).offset() + v.index]).as("%s[%d]", v.name, v.index).isEqualTo(v.value);
        }
    }

    @Test
    void writesTheTorchModelBackByteForByteAsTorchWroteIt() throws Exception {
        SafetensorsFile file = SafetensorsReader.read(fixtureBytes);
        ParameterLayout layout = new ParameterLayout(StateDict.inferConfig(file.tensors()));
        double[] params = StateDict.fromTensors(layout, file.tensors());

        byte[] written = SafetensorsWriter.toBytes(StateDict.toTensors(layout, params), file.metadata());

        // Same header JSON (compact, same key order, same padding) and same data: identical files.
        assertThat(written).isEqualTo(fixtureBytes);
        writeForPythonChecker("streamgru_gru2_linear.safetensors", written);
    }

    @Test
    void writesAJavaInitialisedMlpModelAsF32ForThePythonChecker() throws Exception {
        ParameterLayout layout = new ParameterLayout(GruConfig.mlp(4, 8, 2, 3, 6));
        double[] params = ParameterInitializer.ORTHOGONAL.initialize(layout, 7L);
        byte[] bytes = SafetensorsWriter.toBytes(StateDict.toTensors(layout, params, DType.F32),
                Map.of("streamgru.writer", "TorchInteropTest"));

        assertThat(StateDict.inferConfig(SafetensorsReader.read(bytes).tensors())).isEqualTo(layout.config());
        writeForPythonChecker("streamgru_mlp_f32.safetensors", bytes);
    }

    /** For {@code check_streamgru_safetensors.py}; target/ is the module's build directory. */
    private static void writeForPythonChecker(String name, byte[] bytes) throws IOException {
        Path dir = Path.of("target", "interop");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TorchInteropTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private record Value(String name, int index, double value) {
    }

    /** The expected-contents file: metadata, tensor shapes in file order, and every value as a hex float. */
    private static final class Expected {
        final Map<String, String> metadata = new LinkedHashMap<>();
        final Map<String, int[]> shapes = new LinkedHashMap<>();
        final List<Value> values = new ArrayList<>();

        static Expected parse(String text) {
            Expected e = new Expected();
            for (String line : text.split("\n")) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "metadata" -> e.metadata.put(f[1], line.substring(("metadata " + f[1] + " ").length()));
                    case "tensor" -> {
                        String[] dims = f[3].split(",");
                        int[] shape = new int[dims.length];
                        for (int i = 0; i < dims.length; i++) {
                            shape[i] = Integer.parseInt(dims[i]);
                        }
                        e.shapes.put(f[1], shape);
                    }
                    case "value" -> e.values.add(new Value(f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3])));
                    default -> { } // comments and the torch version
                }
            }
            return e;
        }
    }
}
