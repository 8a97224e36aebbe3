package io.streamgru.model.gru;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A reference fixture in the plain-text format written by
 * {@code model-core/src/test/python/make_torch_fixtures.py} (model-core has no JSON library, and
 * this needs none). One entry per line:
 * <pre>
 * # comment                        (ignored, as are blank lines)
 * key = some text                  a text entry
 * name shape=7x2x5 v0 v1 v2 ...    a double array, row-major; shape=1 for a scalar
 * crc32 = 1a2b3c4d                 optional, last: CRC-32 of all array values so far, in file
 *                                  order, each as 8 big-endian IEEE-754 bytes
 * </pre>
 * Values are Python {@code repr(float)} (shortest round-trip decimal), which
 * {@link Double#parseDouble} reads back to the identical double; the CRC proves that it did.
 * Entry names are unique. Nothing here is specific to the GRU except {@link #gruConfig()}.
 */
public final class TorchFixture {

    private final String source;
    private final Map<String, String> texts;
    private final Map<String, double[]> arrays;
    private final Map<String, int[]> shapes;
    private final boolean checksummed;

    private TorchFixture(String source, Map<String, String> texts, Map<String, double[]> arrays,
                         Map<String, int[]> shapes, boolean checksummed) {
        this.source = source;
        this.checksummed = checksummed;
        this.texts = texts;
        this.arrays = arrays;
        this.shapes = shapes;
    }

    /** Loads a fixture from the test classpath, e.g. {@code "/fixtures/torch/linear_1layer_mse.txt"}. */
    public static TorchFixture resource(String path) {
        InputStream in = TorchFixture.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalArgumentException("no fixture on the classpath at " + path
                    + " (regenerate with model-core/src/test/python/make_torch_fixtures.py)");
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(path, reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + path, e);
        }
    }

    /** Parses fixture text; {@code source} names it in error messages. */
    public static TorchFixture parse(String source, String text) {
        try {
            return parse(source, new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses fixture text from a reader (not closed); {@code source} names it in error messages. */
    public static TorchFixture parse(String source, Reader reader) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, double[]> arrays = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        CRC32 crc = new CRC32();
        ByteBuffer bytes = ByteBuffer.allocate(Double.BYTES);
        BufferedReader lines = new BufferedReader(reader);
        String line;
        int lineNo = 0;
        boolean checked = false;
        while ((line = lines.readLine()) != null) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String where = source + ":" + lineNo;
            if (checked) {
                throw new IllegalArgumentException(where + ": nothing may follow the crc32 line");
            }
            String[] tokens = trimmed.split("\\s+");
            String name = tokens[0];
            if (texts.containsKey(name) || arrays.containsKey(name)) {
                throw new IllegalArgumentException(where + ": duplicate entry '" + name + "'");
            }
            if (tokens.length >= 2 && tokens[1].equals("=")) {
                String value = trimmed.substring(trimmed.indexOf('=') + 1).strip();
                if (name.equals("crc32")) {
                    long expected = Long.parseLong(value, 16);
                    if (crc.getValue() != expected) {
                        throw new IllegalArgumentException(String.format(
                                "%s: CRC-32 of the parsed values is %08x, the file says %08x: a value did not"
                                        + " round-trip exactly or the file was edited", where, crc.getValue(), expected));
                    }
                    checked = true;
                } else {
                    texts.put(name, value);
                }
            } else if (tokens.length >= 2 && tokens[1].startsWith("shape=")) {
                int[] shape = parseShape(tokens[1].substring("shape=".length()), where);
                int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
                if (tokens.length - 2 != size) {
                    throw new IllegalArgumentException(where + ": '" + name + "' has shape " + Arrays.toString(shape)
                            + " (" + size + " values) but " + (tokens.length - 2) + " values");
                }
                double[] values = new double[size];
                for (int i = 0; i < size; i++) {
                    try {
                        values[i] = Double.parseDouble(tokens[i + 2]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(where + ": '" + name + "' value " + i + " is not a number: "
                                + tokens[i + 2], e);
                    }
                    bytes.clear();
                    crc.update(bytes.putDouble(values[i]).array());
                }
                arrays.put(name, values);
                shapes.put(name, shape);
            } else {
                throw new IllegalArgumentException(where + ": expected 'key = text' or 'name shape=AxB values...', got: "
                        + (trimmed.length() > 80 ? trimmed.substring(0, 80) + "..." : trimmed));
            }
        }
        return new TorchFixture(source, Collections.unmodifiableMap(texts), Collections.unmodifiableMap(arrays),
                Collections.unmodifiableMap(shapes), checked);
    }

    private static int[] parseShape(String spec, String where) {
        String[] dims = spec.split("x");
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            try {
                shape[i] = Integer.parseInt(dims[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": bad shape '" + spec + "'", e);
            }
            if (shape[i] < 0) {
                throw new IllegalArgumentException(where + ": bad shape '" + spec + "'");
            }
        }
        return shape;
    }

    /** Where this fixture came from (for messages). */
    public String source() {
        return source;
    }

    /** Whether the file ended with a {@code crc32} line (which then matched: a mismatch fails parsing). */
    public boolean checksummed() {
        return checksummed;
    }

    public boolean has(String name) {
        return texts.containsKey(name) || arrays.containsKey(name);
    }

    /** Names of the arrays, in file order. */
    public List<String> arrayNames() {
        return new ArrayList<>(arrays.keySet());
    }

    /** A text entry. */
    public String text(String key) {
        String value = texts.get(key);
        if (value == null) {
            throw missing(key, texts.keySet());
        }
        return value;
    }

    /** A text entry that is an integer. */
    public int integer(String key) {
        return Integer.parseInt(text(key));
    }

    /** A text entry that is a number. */
    public double number(String key) {
        return Double.parseDouble(text(key));
    }

    /** A copy of an array's values, row-major. */
    public double[] array(String name) {
        return values(name).clone();
    }

    /** An array's shape. */
    public int[] shape(String name) {
        values(name);
        return shapes.get(name).clone();
    }

    /** The single value of an array of one element. */
    public double scalar(String name) {
        double[] v = values(name);
        if (v.length != 1) {
            throw new IllegalArgumentException(source + ": '" + name + "' has " + v.length + " values, not 1");
        }
        return v[0];
    }

    /** Row {@code i} of an array, i.e. the values under its first index (all remaining dimensions). */
    public double[] row(String name, int i) {
        double[] v = values(name);
        int[] shape = shapes.get(name);
        int width = v.length / shape[0];
        if (i < 0 || i >= shape[0]) {
            throw new IndexOutOfBoundsException(source + ": '" + name + "' has " + shape[0] + " rows, asked for " + i);
        }
        return Arrays.copyOfRange(v, i * width, (i + 1) * width);
    }

    /** An array of 0/1 values as booleans. */
    public boolean[] mask(String name) {
        double[] v = values(name);
        boolean[] mask = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0.0 && v[i] != 1.0) {
                throw new IllegalArgumentException(source + ": '" + name + "' is not a 0/1 mask: " + v[i]);
            }
            mask[i] = v[i] == 1.0;
        }
        return mask;
    }

    /** The model shape from the {@code config.*} entries. */
    public GruConfig gruConfig() {
        HeadType head = switch (text("config.head")) {
            case "linear" -> HeadType.LINEAR;
            case "mlp" -> HeadType.MLP;
            default -> throw new IllegalArgumentException(source + ": unknown config.head " + text("config.head"));
        };
        return new GruConfig(integer("config.input_size"), integer("config.hidden_size"), integer("config.layers"),
                integer("config.outputs"), head, integer("config.head_hidden"));
    }

    private double[] values(String name) {
        double[] v = arrays.get(name);
        if (v == null) {
            throw missing(name, arrays.keySet());
        }
        return v;
    }

    private IllegalArgumentException missing(String name, java.util.Set<String> present) {
        return new IllegalArgumentException(source + ": no entry '" + name + "'; present: " + present);
    }

    @Override
    public String toString() {
        return source;
    }
}
