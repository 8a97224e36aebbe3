package io.streamgru.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * naming each tensor's dtype, shape and {@code data_offsets} (relative to the data after the
 * header), an optional {@code "__metadata__"} object of strings, then the little-endian row-major
 * data. Reads F64, F32, F16 and BF16 into doubles. Offsets must lie inside the data and must not
 * overlap; unused gaps between tensors are tolerated. Anything else malformed raises a
 * {@link SafetensorsFormatException} saying what and where.
 */
public final class SafetensorsReader {

    /** Larger headers are refused before reading them; the reference implementation uses the same limit. */
    public static final int MAX_HEADER_BYTES = 100_000_000;

    private static final String METADATA = "__metadata__";

    private SafetensorsReader() {
    }

    /** Reads a whole safetensors file from {@code in}, to its end. Does not close {@code in}. */
    public static SafetensorsFile read(InputStream in) throws IOException {
        byte[] lengthBytes = in.readNBytes(8);
        int headerLength = headerLength(lengthBytes, lengthBytes.length, Long.MAX_VALUE);
        byte[] header = in.readNBytes(headerLength);
        if (header.length < headerLength) {
            throw new SafetensorsFormatException("header length is " + headerLength + " bytes but the file ends "
                    + header.length + " bytes into the header");
        }
        byte[] data = in.readAllBytes();
        return decode(header, 0, headerLength, data, 0, data.length);
    }

    /** Reads a safetensors file held in {@code bytes}. */
    public static SafetensorsFile read(byte[] bytes) throws SafetensorsFormatException {
        int headerLength = headerLength(bytes, bytes.length, bytes.length - 8L);
        int dataStart = 8 + headerLength;
        return decode(bytes, 8, headerLength, bytes, dataStart, bytes.length - dataStart);
    }

    /**
     * Validates the length field. {@code available} is how many bytes follow it, when known
     * ({@code Long.MAX_VALUE} for a stream).
     */
    private static int headerLength(byte[] bytes, int length, long available) throws SafetensorsFormatException {
        if (length < 8) {
            throw new SafetensorsFormatException("file is " + length
                    + " bytes long; a safetensors file starts with an 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String shown = Long.toUnsignedString(n);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException("header length " + shown + " (bytes 0-7) is outside 2.."
                    + MAX_HEADER_BYTES + "; this is not a safetensors file or it is corrupt");
        }
        if (n > available) {
            throw new SafetensorsFormatException("header length " + shown + " (bytes 0-7) is larger than the "
                    + available + " bytes that follow it");
        }
        return (int) n;
    }

    private static SafetensorsFile decode(byte[] headerBytes, int headerOffset, int headerLength,
                                          byte[] data, int dataOffset, int dataLength) throws SafetensorsFormatException {
        String json = utf8(headerBytes, headerOffset, headerLength);
        if (json.charAt(0) != '{') {
            throw new SafetensorsFormatException("header (from byte 8) starts with '" + json.charAt(0) + "', not '{'");
        }
        Map<?, ?> header = (Map<?, ?>) JsonParser.parse(json);

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                metadata = metadata(e.getValue());
            } else {
                entries.add(entry(name, e.getValue(), dataLength));
            }
        }

        // Files order their bytes as the writer chose; JSON key order is not meaningful to all writers.
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin == e.end) {
                continue; // an empty tensor occupies no bytes and cannot overlap anything
            }
            if (previous != null && e.begin < previous.end) {
                throw new SafetensorsFormatException("tensors '" + previous.name + "' " + previous.range() + " and '"
                        + e.name + "' " + e.range() + " overlap");
            }
            previous = e;
        }

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : byOffset) {
            tensors.put(e.name, new Tensor(e.name, e.dtype, e.shape, values(e, data, dataOffset)));
        }
        return new SafetensorsFile(tensors, metadata);
    }

    private static String utf8(byte[] bytes, int offset, int length) throws SafetensorsFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException("header (bytes 8-" + (8 + length - 1) + ") is not valid UTF-8: " + e);
        }
    }

    private static Map<String, String> metadata(Object value) throws SafetensorsFormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new SafetensorsFormatException("\"__metadata__\" must be an object of strings, found " + describe(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafetensorsFormatException("\"__metadata__\" entry \"" + e.getKey() + "\" must be a string, found "
                        + describe(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private static Entry entry(String name, Object value, int dataLength) throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> fields)) {
            throw new SafetensorsFormatException(where + " must be an object with dtype, shape and data_offsets, found "
                    + describe(value));
        }
        Object dtypeName = fields.get("dtype");
        if (!(dtypeName instanceof String s)) {
            throw new SafetensorsFormatException(where + " has no string \"dtype\"");
        }
        DType dtype = dtype(s, where);

        List<?> shapeList = list(fields.get("shape"), where, "shape");
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegative(shapeList.get(i), where, "shape");
            if (d > Integer.MAX_VALUE) {
                throw new SafetensorsFormatException(where + " dimension " + i + " is " + d + ", too large");
            }
            shape[i] = (int) d;
        }
        long count = Tensor.elementCount(shape);
        if (count < 0) {
            throw new SafetensorsFormatException(where + " of shape " + Arrays.toString(shape)
                    + " has more elements than a Java array can hold");
        }

        List<?> offsets = list(fields.get("data_offsets"), where, "data_offsets");
        if (offsets.size() != 2) {
            throw new SafetensorsFormatException(where + " data_offsets must be [begin, end], found " + offsets);
        }
        long begin = nonNegative(offsets.get(0), where, "data_offsets");
        long end = nonNegative(offsets.get(1), where, "data_offsets");
        String range = "[" + begin + ", " + end + "]";
        if (begin > end) {
            throw new SafetensorsFormatException(where + " data_offsets " + range + " end before they begin");
        }
        if (end > dataLength) {
            throw new SafetensorsFormatException(where + " data_offsets " + range + " reach beyond the "
                    + dataLength + "-byte data buffer");
        }
        long bytes = count * dtype.byteSize();
        if (end - begin != bytes) {
            throw new SafetensorsFormatException(where + " is " + dtype + " " + Arrays.toString(shape) + " = " + bytes
                    + " bytes but its data_offsets " + range + " span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static DType dtype(String name, String where) throws SafetensorsFormatException {
        for (DType t : DType.values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new SafetensorsFormatException(where + " has dtype '" + name + "', which is unknown or unsupported "
                + "(readable: " + Arrays.toString(DType.values()) + ")");
    }

    private static List<?> list(Object value, String where, String field) throws SafetensorsFormatException {
        if (!(value instanceof List<?> list)) {
            throw new SafetensorsFormatException(where + " has no array \"" + field + "\", found " + describe(value));
        }
        return list;
    }

    private static long nonNegative(Object value, String where, String field) throws SafetensorsFormatException {
        if (value instanceof Long n && n >= 0) {
            return n;
        }
        if (value instanceof BigInteger n && n.signum() > 0) {
            throw new SafetensorsFormatException(where + " " + field + " holds " + n + ", too large");
        }
        throw new SafetensorsFormatException(where + " " + field + " must hold whole numbers >= 0, found " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        return value instanceof List ? "the array " + value : value.toString();
    }

    private static double[] values(Entry e, byte[] data, int dataOffset) {
        int n = (int) ((e.end - e.begin) / e.dtype.byteSize());
        double[] out = new double[n];
        ByteBuffer buf = ByteBuffer.wrap(data, dataOffset + (int) e.begin, (int) (e.end - e.begin))
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (e.dtype) {
            case F64 -> buf.asDoubleBuffer().get(out);
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = buf.getFloat(4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.f16ToFloat(buf.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.bf16ToFloat(buf.getShort(2 * i));
                }
            }
        }
        return out;
    }

    /** One tensor's header entry, validated. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        String range() {
            return "[" + begin + ", " + end + "]";
        }
    }
}
