package io.streamgru.model.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes tensors in the safetensors format (see {@link SafetensorsReader}): each tensor in its own
 * dtype (F64, or F32 rounded to nearest), its bytes in list order, the JSON header padded with
 * spaces so the data starts on an 8-byte boundary, as the reference implementation does.
 */
public final class SafetensorsWriter {

    private static final int CHUNK_BYTES = 1 << 16;

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} and {@code metadata} (omitted from the header when empty) to
     * {@code out}. Does not close or flush {@code out}.
     */
    public static void write(OutputStream out, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        chunk.putLong(header.length);
        out.write(chunk.array(), 0, 8);
        out.write(header);
        chunk.clear();
        for (Tensor t : tensors) {
            int size = t.dtype().byteSize();
            for (double v : t.data()) {
                if (chunk.remaining() < size) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                if (t.dtype() == DType.F64) {
                    chunk.putDouble(v);
                } else {
                    chunk.putFloat((float) v);
                }
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    /** The bytes {@link #write} would write. */
    public static byte[] toBytes(List<Tensor> tensors, Map<String, String> metadata) {
        long bytes = 0;
        for (Tensor t : tensors) {
            bytes += (long) t.size() * t.dtype().byteSize();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, bytes + 1024));
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    private static byte[] header(List<Tensor> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder(64 + 96 * tensors.size()).append('{');
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                string(json, e.getKey()).append(':');
                string(json, e.getValue());
            }
            json.append('}');
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Tensor t : tensors) {
            if (!t.dtype().writable()) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' has dtype " + t.dtype()
                        + "; only F64 and F32 can be written");
            }
            if (t.name().isEmpty() || t.name().equals("__metadata__") || !names.add(t.name())) {
                throw new IllegalArgumentException("tensor name '" + t.name() + "' is empty, reserved or used twice");
            }
            long end = offset + (long) t.size() * t.dtype().byteSize();
            if (json.length() > 1) {
                json.append(',');
            }
            string(json, t.name()).append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            for (int i = 0; i < t.rank(); i++) {
                json.append(i == 0 ? "" : ",").append(t.dim(i));
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) & ~7;
        byte[] header = new byte[padded];
        System.arraycopy(utf8, 0, header, 0, utf8.length);
        for (int i = utf8.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    /** Appends {@code s} as a JSON string literal. */
    private static StringBuilder string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
