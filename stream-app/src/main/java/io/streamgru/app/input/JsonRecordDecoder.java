package io.streamgru.app.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.streamgru.app.input.InvalidRecordException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON input: any object; features and target are numbers (or numeric strings) at field paths.
 * An absent feature field is an error; an explicit {@code null} is a gap the learner imputes. An
 * absent or null target means "not known yet". Numbers, numeric strings ("NaN" and "" are gaps,
 * "Infinity" is rejected, |v| &gt; 1e100 is {@code OUT_OF_RANGE}) and event times (epoch
 * milliseconds in the range of a long, or an ISO-8601 instant) follow {@link InputValues}.
 *
 * <p>Reads the record with Jackson's streaming parser in one pass (no tree): it descends only into
 * objects on a wanted field path and skips everything else. Results, rejection reasons and
 * messages are those of the tree model ({@code ObjectMapper.readTree}) it replaced, including
 * "the last of duplicate keys wins" (a repeated parent object replaces the whole object). Holds
 * per-record scratch state: one instance per thread ({@link InputDecoders} supplies one per user).
 */
public final class JsonRecordDecoder implements RecordDecoder {

    // What a wanted field held in the record just parsed (the tree model's node types).
    private static final byte ABSENT = 0;
    private static final byte NULL = 1;
    private static final byte INTEGRAL = 2; // fits a long: value in longs[]
    private static final byte BIG_INTEGRAL = 3; // value in bigs[]
    private static final byte FLOATING = 4; // value in doubles[]
    private static final byte STRING = 5; // value in texts[]
    private static final byte TRUE = 6;
    private static final byte FALSE = 7;
    private static final byte OBJECT = 8;
    private static final byte ARRAY = 9;

    // Jackson's bundled FastDoubleParser: correctly rounded like Double.parseDouble (the same bits,
    // JsonRecordDecoderTest), without the String and buffers the JDK's parser allocates per number.
    private final JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private final InputFields fields;
    private final PathStep root = new PathStep();
    // One slot per wanted field: features 0..n-1, then target, series id, time (when configured).
    private final int targetSlot;
    private final int keySlot;
    private final int timeSlot;
    private final byte[] kinds;
    private final long[] longs;
    private final double[] doubles;
    private final BigInteger[] bigs;
    private final String[] texts;

    public JsonRecordDecoder(InputFields fields) {
        this.fields = fields;
        List<FieldPath> paths = new ArrayList<>(fields.features());
        targetSlot = paths.size();
        paths.add(fields.target());
        keySlot = fields.key() == null ? -1 : paths.size();
        if (fields.key() != null) {
            paths.add(fields.key());
        }
        timeSlot = fields.time() == null ? -1 : paths.size();
        if (fields.time() != null) {
            paths.add(fields.time());
        }
        for (int slot = 0; slot < paths.size(); slot++) {
            root.add(paths.get(slot).parts(), 0, slot);
        }
        root.freeze();
        int n = paths.size();
        kinds = new byte[n];
        longs = new long[n];
        doubles = new double[n];
        bigs = new BigInteger[n];
        texts = new String[n];
    }

    @Override
    public void decode(String topic, byte[] key, byte[] value, long timestamp, Observation into)
            throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException(Reason.NULL_VALUE, "record value is null");
        }
        parse(value);
        into.seriesId = seriesId(key);
        into.eventTime = fields.time() == null ? timestamp : eventTime();
        for (int i = 0; i < into.features.length; i++) {
            if (kinds[i] == ABSENT) {
                throw new InvalidRecordException(Reason.MISSING_FIELD, "feature '" + fields.features().get(i)
                        + "' is missing");
            }
            into.features[i] = kinds[i] == NULL ? Double.NaN : number(i, "feature '", fields.features().get(i));
        }
        byte target = kinds[targetSlot];
        into.target = target == ABSENT || target == NULL ? Double.NaN : number(targetSlot, "target '", fields.target());
    }

    /** Fills the slots from the record, or rejects it as corrupt (invalid JSON or not an object). */
    private void parse(byte[] value) throws InvalidRecordException {
        Arrays.fill(kinds, ABSENT);
        Arrays.fill(bigs, null);
        Arrays.fill(texts, null);
        if (looksLikeConfluentAvro(value)) {
            throw new InvalidRecordException(Reason.CORRUPT, "value looks like Confluent-framed Avro (schema id "
                    + schemaId(value) + "), not JSON: set input.format: avro");
        }
        try (JsonParser p = factory.createParser(value)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first != null) {
                    p.skipChildren(); // the tree model reads the whole value before finding it is no object
                    p.finishToken();
                }
                throw new InvalidRecordException(Reason.CORRUPT, "value is not a JSON object");
            }
            readObject(p, root);
        } catch (IOException e) {
            throw new InvalidRecordException(Reason.CORRUPT, "value is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** The Confluent wire format: magic byte 0, then a 4-byte schema id (JSON text never starts with NUL). */
    private static boolean looksLikeConfluentAvro(byte[] value) {
        return value.length >= 5 && value[0] == 0;
    }

    private static int schemaId(byte[] value) {
        return ((value[1] & 0xff) << 24) | ((value[2] & 0xff) << 16) | ((value[3] & 0xff) << 8) | (value[4] & 0xff);
    }

    /** Walks the object the parser has just entered, whose fields are the children of {@code step}. */
    private void readObject(JsonParser p, PathStep step) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken token = p.nextToken();
            PathStep child = step.children.get(name);
            if (child == null) {
                p.skipChildren();
                continue;
            }
            for (int slot : child.slotsBelow) {
                kinds[slot] = ABSENT; // a repeated key replaces the earlier value, nested fields included
                bigs[slot] = null;
                texts[slot] = null;
            }
            for (int slot : child.slotsHere) {
                record(p, token, slot);
            }
            if (token == JsonToken.START_OBJECT && !child.children.isEmpty()) {
                readObject(p, child);
            } else {
                p.skipChildren();
            }
        }
    }

    private void record(JsonParser p, JsonToken token, int slot) throws IOException {
        switch (token) {
            case VALUE_NULL -> kinds[slot] = NULL;
            case VALUE_TRUE -> kinds[slot] = TRUE;
            case VALUE_FALSE -> kinds[slot] = FALSE;
            case START_OBJECT -> kinds[slot] = OBJECT;
            case START_ARRAY -> kinds[slot] = ARRAY;
            case VALUE_STRING -> {
                kinds[slot] = STRING;
                texts[slot] = p.getText();
            }
            case VALUE_NUMBER_INT -> {
                // as the tree model does: int, long or BigInteger by magnitude
                switch (p.getNumberType()) {
                    case INT -> {
                        kinds[slot] = INTEGRAL;
                        longs[slot] = p.getIntValue();
                    }
                    case LONG -> {
                        kinds[slot] = INTEGRAL;
                        longs[slot] = p.getLongValue();
                    }
                    default -> {
                        kinds[slot] = BIG_INTEGRAL;
                        bigs[slot] = p.getBigIntegerValue();
                    }
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                kinds[slot] = FLOATING;
                doubles[slot] = p.getDoubleValue();
            }
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    private String seriesId(byte[] key) throws InvalidRecordException {
        if (fields.key() == null) {
            if (key == null) {
                throw new InvalidRecordException(Reason.NULL_KEY, "record key is null: the key is the series id");
            }
            return new String(key, StandardCharsets.UTF_8);
        }
        byte kind = kinds[keySlot];
        if (kind == ABSENT || kind == NULL || kind == OBJECT || kind == ARRAY) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "series id field '" + fields.key() + "' is missing");
        }
        return text(keySlot);
    }

    private long eventTime() throws InvalidRecordException {
        byte kind = kinds[timeSlot];
        if (kind == ABSENT || kind == NULL) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "time field '" + fields.time() + "' is missing");
        }
        if (kind == INTEGRAL) {
            return longs[timeSlot];
        }
        if (kind == BIG_INTEGRAL) { // beyond a long: never wrapped
            throw InputValues.badTimestamp(text(timeSlot), "time field '", fields.time());
        }
        return InputValues.epochMillis(text(timeSlot), "time field '", fields.time());
    }

    /**
     * The slot's value as a number (NaN = missing), by {@link InputValues}' policy; {@code what} and
     * {@code path} name it in rejections.
     */
    private double number(int slot, String what, FieldPath path) throws InvalidRecordException {
        return switch (kinds[slot]) {
            case INTEGRAL -> longs[slot]; // |v| < 2^63: always in range
            case BIG_INTEGRAL -> InputValues.numeral(bigs[slot].doubleValue(), what, path);
            case FLOATING -> InputValues.numeral(doubles[slot], what, path);
            case STRING -> InputValues.parse(texts[slot], what, path);
            default -> throw new InvalidRecordException(Reason.NON_NUMERIC, what + path + "' is "
                    + nodeType(kinds[slot]) + ", not a number");
        };
    }

    /** The tree model's {@code asText()} of the slot's value. */
    private String text(int slot) {
        return switch (kinds[slot]) {
            case INTEGRAL -> Long.toString(longs[slot]);
            case BIG_INTEGRAL -> bigs[slot].toString();
            case FLOATING -> Double.toString(doubles[slot]);
            case STRING -> texts[slot];
            case TRUE -> "true";
            case FALSE -> "false";
            case NULL -> "null";
            default -> ""; // containers
        };
    }

    /** The tree model's node type name, as rejections have always named it. */
    private static String nodeType(byte kind) {
        return switch (kind) {
            case TRUE, FALSE -> "BOOLEAN";
            case OBJECT -> "OBJECT";
            case ARRAY -> "ARRAY";
            case NULL -> "NULL";
            case STRING -> "STRING";
            default -> "NUMBER";
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** One step of the wanted field paths: the slots ending here and the fields to descend into. */
    private static final class PathStep {
        final Map<String, PathStep> children = new HashMap<>();
        private final List<Integer> here = new ArrayList<>();
        int[] slotsHere;
        int[] slotsBelow; // here and in every descendant

        void add(List<String> parts, int depth, int slot) {
            if (depth == parts.size()) {
                here.add(slot);
                return;
            }
            // interned like the parser's field names, so lookups match by identity
            children.computeIfAbsent(parts.get(depth).intern(), name -> new PathStep()).add(parts, depth + 1, slot);
        }

        List<Integer> freeze() {
            List<Integer> below = new ArrayList<>(here);
            for (PathStep child : children.values()) {
                below.addAll(child.freeze());
            }
            slotsHere = here.stream().mapToInt(Integer::intValue).toArray();
            slotsBelow = below.stream().mapToInt(Integer::intValue).toArray();
            return below;
        }
    }
}
