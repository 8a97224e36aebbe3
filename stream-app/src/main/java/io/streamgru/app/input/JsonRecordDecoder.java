package io.streamgru.app.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgru.app.input.InvalidRecordException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * JSON input: any object; features and target are numbers (or numeric strings) at field paths.
 * An absent feature field is an error; an explicit {@code null} is a gap the learner imputes. An
 * absent or null target means "not known yet". Event time, when taken from a field, is epoch
 * milliseconds or an ISO-8601 instant.
 */
public final class JsonRecordDecoder implements RecordDecoder {

    private final ObjectMapper mapper = new ObjectMapper();
    private final InputFields fields;

    public JsonRecordDecoder(InputFields fields) {
        this.fields = fields;
    }

    @Override
    public void decode(String topic, byte[] key, byte[] value, long timestamp, Observation into)
            throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException(Reason.NULL_VALUE, "record value is null");
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (IOException e) {
            throw new InvalidRecordException(Reason.CORRUPT, "value is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(Reason.CORRUPT, "value is not a JSON object");
        }
        into.seriesId = seriesId(root, key);
        into.eventTime = fields.time() == null ? timestamp : eventTime(root);
        for (int i = 0; i < into.features.length; i++) {
            FieldPath path = fields.features().get(i);
            JsonNode node = resolve(root, path);
            if (node == null) {
                throw new InvalidRecordException(Reason.MISSING_FIELD, "feature '" + path + "' is missing");
            }
            into.features[i] = node.isNull() ? Double.NaN : number(node, "feature '" + path + "'");
        }
        JsonNode target = resolve(root, fields.target());
        into.target = target == null || target.isNull() ? Double.NaN : number(target, "target '" + fields.target() + "'");
    }

    private String seriesId(JsonNode root, byte[] key) throws InvalidRecordException {
        if (fields.key() == null) {
            if (key == null) {
                throw new InvalidRecordException(Reason.NULL_KEY, "record key is null: the key is the series id");
            }
            return new String(key, StandardCharsets.UTF_8);
        }
        JsonNode node = resolve(root, fields.key());
        if (node == null || node.isNull() || node.isContainerNode()) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "series id field '" + fields.key() + "' is missing");
        }
        return node.asText();
    }

    private long eventTime(JsonNode root) throws InvalidRecordException {
        JsonNode node = resolve(root, fields.time());
        if (node == null || node.isNull()) {
            throw new InvalidRecordException(Reason.MISSING_FIELD, "time field '" + fields.time() + "' is missing");
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        try {
            return Instant.parse(node.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException(Reason.BAD_TIMESTAMP, "time field '" + fields.time() + "' = '"
                    + node.asText() + "' is neither epoch milliseconds nor an ISO-8601 instant");
        }
    }

    private static double number(JsonNode node, String what) throws InvalidRecordException {
        double v;
        if (node.isNumber()) {
            v = node.asDouble();
        } else if (node.isTextual()) {
            try {
                v = Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                throw new InvalidRecordException(Reason.NON_NUMERIC, what + " = '" + node.asText() + "' is not a number");
            }
        } else {
            throw new InvalidRecordException(Reason.NON_NUMERIC, what + " is " + node.getNodeType() + ", not a number");
        }
        if (!Double.isFinite(v)) {
            throw new InvalidRecordException(Reason.NON_FINITE, what + " is " + v);
        }
        return v;
    }

    private static JsonNode resolve(JsonNode root, FieldPath path) {
        JsonNode node = root;
        for (String part : path.parts()) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
