package io.streamgru.app.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgru.app.input.InvalidRecordException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the JSON decoder accepts, what it rejects and with which reason and message. */
class JsonRecordDecoderTest {

    private static final long RECORD_TS = 1_700_000_000_000L;
    private static final byte[] KEY = "sensor-7".getBytes(StandardCharsets.UTF_8);

    /** Key = record key, time = record timestamp, features a and m.b, target y. */
    private final JsonRecordDecoder byKey =
            new JsonRecordDecoder(InputFields.of(null, null, List.of("a", "m.b"), "y"));
    /** Series id and time from fields, a deeply nested feature and a nested target. */
    private final JsonRecordDecoder byFields =
            new JsonRecordDecoder(InputFields.of("dev.id", "ts", List.of("x", "p.q.r"), "out.y"));

    private static Observation decode(JsonRecordDecoder decoder, byte[] key, String json)
            throws InvalidRecordException {
        Observation into = new Observation(2);
        decoder.decode("t", key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), RECORD_TS, into);
        return into;
    }

    private Observation decode(String json) throws InvalidRecordException {
        return decode(byKey, KEY, json);
    }

    private InvalidRecordException rejected(JsonRecordDecoder decoder, byte[] key, String json) {
        return assertThrows(InvalidRecordException.class, () -> decode(decoder, key, json));
    }

    private InvalidRecordException rejected(String json) {
        return rejected(byKey, KEY, json);
    }

    private static void assertRejected(InvalidRecordException e, Reason reason, String message) {
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    @Test
    void decodesFeaturesTargetKeyAndRecordTimestamp() throws Exception {
        Observation o = decode("{\"a\": 1.5, \"m\": {\"b\": -2}, \"y\": 3e2}");
        assertEquals("sensor-7", o.seriesId());
        assertEquals(RECORD_TS, o.eventTime());
        assertArrayEquals(new double[] {1.5, -2.0}, o.features());
        assertEquals(300.0, o.target());
    }

    @Test
    void numbersHaveTheBitsDoubleParseDoubleGives() throws Exception {
        // The decoder uses Jackson's fast double parser: it must round every number as the JDK does.
        List<String> texts = DecimalNumerals.sample(7, 20_000);
        for (String text : texts) {
            Observation o = decode("{\"a\": " + text + ", \"m\": {\"b\": 0}, \"y\": " + text + "}");
            long expected = Double.doubleToRawLongBits(Double.parseDouble(text));
            assertEquals(expected, Double.doubleToRawLongBits(o.features()[0]), text);
            assertEquals(expected, Double.doubleToRawLongBits(o.target()), text);
        }
    }

    @Test
    void fieldsInAnyOrderAndExtraFieldsArraysAndObjectsAreIgnored() throws Exception {
        Observation o = decode("{\"junk\": [1, {\"a\": 9}, [\"x\"]], \"y\": 4, \"m\": {\"z\": {\"b\": 8}, \"b\": 7,"
                + " \"c\": [true, null]}, \"other\": {\"a\": 10, \"m\": {\"b\": 11}}, \"s\": \"text \\\" \\u00e9\","
                + " \"n\": null, \"t\": true, \"a\": 6}");
        assertArrayEquals(new double[] {6.0, 7.0}, o.features());
        assertEquals(4.0, o.target());
    }

    @Test
    void seriesIdAndTimeFromNestedAndTopLevelFields() throws Exception {
        Observation o = decode(byFields, null, "{\"out\": {\"y\": 0.25}, \"p\": {\"q\": {\"r\": 2}}, \"x\": 1,"
                + " \"ts\": 1700000000123, \"dev\": {\"id\": \"boiler-1\"}}");
        assertEquals("boiler-1", o.seriesId());
        assertEquals(1_700_000_000_123L, o.eventTime());
        assertArrayEquals(new double[] {1.0, 2.0}, o.features());
        assertEquals(0.25, o.target());
    }

    @Test
    void seriesIdTakesTheTextOfNumbersAndBooleans() throws Exception {
        String rest = ", \"x\": 1, \"p\": {\"q\": {\"r\": 2}}, \"ts\": 5}";
        assertEquals("42", decode(byFields, null, "{\"dev\": {\"id\": 42}" + rest).seriesId());
        assertEquals("-0", decode(byFields, null, "{\"dev\": {\"id\": \"-0\"}" + rest).seriesId());
        assertEquals("0", decode(byFields, null, "{\"dev\": {\"id\": -0}" + rest).seriesId());
        assertEquals("12345678901234", decode(byFields, null, "{\"dev\": {\"id\": 12345678901234}" + rest).seriesId());
        assertEquals("123456789012345678901234567890",
                decode(byFields, null, "{\"dev\": {\"id\": 123456789012345678901234567890}" + rest).seriesId());
        assertEquals("1.5", decode(byFields, null, "{\"dev\": {\"id\": 1.50}" + rest).seriesId());
        assertEquals("100.0", decode(byFields, null, "{\"dev\": {\"id\": 1e2}" + rest).seriesId());
        assertEquals("true", decode(byFields, null, "{\"dev\": {\"id\": true}" + rest).seriesId());
        assertEquals("", decode(byFields, null, "{\"dev\": {\"id\": \"\"}" + rest).seriesId());
    }

    @Test
    void seriesIdFieldMissingNullOrContainerIsAMissingField() {
        String rest = "\"x\": 1, \"p\": {\"q\": {\"r\": 2}}, \"ts\": 5}";
        String message = "series id field 'dev.id' is missing";
        for (String dev : List.of("", "\"dev\": {}, ", "\"dev\": {\"id\": null}, ", "\"dev\": {\"id\": {}}, ",
                "\"dev\": {\"id\": [\"a\"]}, ", "\"dev\": \"boiler\", ", "\"dev\": [{\"id\": 1}], ", "\"dev\": null, ")) {
            assertRejected(rejected(byFields, KEY, "{" + dev + rest), Reason.MISSING_FIELD, message);
        }
    }

    @Test
    void nullKeyIsRejectedOnlyWhenTheKeyIsTheSeriesId() throws Exception {
        assertRejected(rejected(byKey, null, "{\"a\": 1, \"m\": {\"b\": 2}}"), Reason.NULL_KEY,
                "record key is null: the key is the series id");
        assertEquals("d", decode(byFields, null, "{\"dev\": {\"id\": \"d\"}, \"x\": 1, \"p\": {\"q\": {\"r\": 2}},"
                + " \"ts\": 5}").seriesId());
    }

    @Test
    void nullValueIsRejected() {
        assertRejected(rejected(null), Reason.NULL_VALUE, "record value is null");
    }

    @Test
    void invalidJsonIsCorrupt() {
        for (String bad : List.of("{\"a\": 1,", "{\"a\" 1}", "{\"a\": tru}", "{\"a\": 1, \"m\": {\"b\": [1, 2}}",
                "{\"a\": NaN}", "{\"a\": 1, \"x\": \"bad \\q escape\"}", "{\"a\": 01}", "not json", "[1, 2")) {
            InvalidRecordException e = rejected(bad);
            assertEquals(Reason.CORRUPT, e.reason(), bad);
            assertTrue(e.getMessage().startsWith("value is not valid JSON: "), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void confluentFramedAvroIsCorruptWithAHintToReadItAsAvro() {
        InvalidRecordException e = rejectedBytes(new byte[] {0, 0, 0, 1, 2, 14, 'p', 'u', 'm', 'p'});
        assertRejected(e, Reason.CORRUPT, "value looks like Confluent-framed Avro (schema id 258), not JSON:"
                + " set input.format: avro");
        assertTrue(rejectedBytes(new byte[] {0, 1}).getMessage().startsWith("value is not valid JSON: Illegal character"),
                "too short for the framing");
    }

    private InvalidRecordException rejectedBytes(byte[] value) {
        return assertThrows(InvalidRecordException.class,
                () -> byKey.decode("t", KEY, value, RECORD_TS, new Observation(2)));
    }

    @Test
    void invalidJsonMessageIsTheParsersFirstLine() {
        InvalidRecordException e = rejected("{\"a\": tru}");
        assertTrue(e.getMessage().startsWith("value is not valid JSON: Unrecognized token 'tru'"), e.getMessage());
    }

    @Test
    void validJsonThatIsNotAnObjectIsCorrupt() {
        for (String notObject : List.of("[1, 2]", "42", "\"text\"", "null", "true", "", "   ")) {
            assertRejected(rejected(notObject), Reason.CORRUPT, "value is not a JSON object");
        }
    }

    @Test
    void contentAfterTheObjectIsIgnored() throws Exception {
        assertArrayEquals(new double[] {1.0, 2.0}, decode("{\"a\": 1, \"m\": {\"b\": 2}} {\"a\": 3} trailing")
                .features());
    }

    @Test
    void missingFeatureIsAMissingField() {
        assertRejected(rejected("{\"m\": {\"b\": 2}}"), Reason.MISSING_FIELD, "feature 'a' is missing");
        for (String m : List.of("{}", "{\"c\": 2}", "5", "null", "[{\"b\": 2}]", "\"b\"")) {
            assertRejected(rejected("{\"a\": 1, \"m\": " + m + "}"), Reason.MISSING_FIELD, "feature 'm.b' is missing");
        }
        assertRejected(rejected("{\"a\": 1}"), Reason.MISSING_FIELD, "feature 'm.b' is missing");
        assertRejected(rejected("{\"a\": 1, \"m.b\": 2}"), Reason.MISSING_FIELD, "feature 'm.b' is missing");
    }

    @Test
    void explicitNullFeatureIsAGap() throws Exception {
        Observation o = decode("{\"a\": null, \"m\": {\"b\": 2}}");
        assertTrue(Double.isNaN(o.features()[0]));
        assertEquals(2.0, o.features()[1]);
    }

    @Test
    void absentOrNullTargetIsUnknown() throws Exception {
        assertTrue(Double.isNaN(decode("{\"a\": 1, \"m\": {\"b\": 2}}").target()));
        assertTrue(Double.isNaN(decode("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": null}").target()));
        assertTrue(Double.isNaN(decode(byFields, null, "{\"dev\": {\"id\": \"d\"}, \"x\": 1, \"p\": {\"q\": {\"r\": 2}},"
                + " \"ts\": 5, \"out\": 3}").target()));
    }

    @Test
    void numericStringsAreAcceptedAfterTrimming() throws Exception {
        Observation o = decode("{\"a\": \" 1.25 \", \"m\": {\"b\": \"-3e1\"}, \"y\": \"\\t7\\n\"}");
        assertArrayEquals(new double[] {1.25, -30.0}, o.features());
        assertEquals(7.0, o.target());
    }

    @Test
    void largeAndSmallNumbersAreDoubles() throws Exception {
        Observation o = decode("{\"a\": 123456789012345678901234567890, \"m\": {\"b\": 12345678901234}, \"y\": 1e-300}");
        assertArrayEquals(new double[] {1.2345678901234568E29, 1.2345678901234E13}, o.features());
        assertEquals(1e-300, o.target());
    }

    @Test
    void nonNumericFeatureOrTargetIsRejected() {
        assertRejected(rejected("{\"a\": \"warm\", \"m\": {\"b\": 2}}"), Reason.NON_NUMERIC,
                "feature 'a' = 'warm' is not a number");
        assertRejected(rejected("{\"a\": \"21d\", \"m\": {\"b\": 2}}"), Reason.NON_NUMERIC,
                "feature 'a' = '21d' is not a number");
        assertRejected(rejected("{\"a\": \"0x1p3\", \"m\": {\"b\": 2}}"), Reason.NON_NUMERIC,
                "feature 'a' = '0x1p3' is not a number");
        assertRejected(rejected("{\"a\": \"1_000\", \"m\": {\"b\": 2}}"), Reason.NON_NUMERIC,
                "feature 'a' = '1_000' is not a number");
        assertRejected(rejected("{\"a\": true, \"m\": {\"b\": 2}}"), Reason.NON_NUMERIC,
                "feature 'a' is BOOLEAN, not a number");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": {\"v\": 2}}}"), Reason.NON_NUMERIC,
                "feature 'm.b' is OBJECT, not a number");
        assertRejected(rejected("{\"a\": [1], \"m\": {\"b\": 2}}"), Reason.NON_NUMERIC,
                "feature 'a' is ARRAY, not a number");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": false}"), Reason.NON_NUMERIC,
                "target 'y' is BOOLEAN, not a number");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": \" 1 2 \"}"), Reason.NON_NUMERIC,
                "target 'y' = ' 1 2 ' is not a number");
    }

    @Test
    void infinityIsRejectedAsNonFinite() {
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": \"-Infinity\"}}"), Reason.NON_FINITE,
                "feature 'm.b' is -Infinity");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": \"Infinity\"}"), Reason.NON_FINITE,
                "target 'y' is Infinity");
        assertRejected(rejected("{\"a\": \"inf\", \"m\": {\"b\": 2}}"), Reason.NON_FINITE, "feature 'a' is Infinity");
    }

    @Test
    void emptyAndNanStringsAreGapsAsInCsv() throws Exception {
        Observation o = decode("{\"a\": \"\", \"m\": {\"b\": \"NaN\"}, \"y\": \"nan\"}");
        assertTrue(Double.isNaN(o.features()[0]));
        assertTrue(Double.isNaN(o.features()[1]));
        assertTrue(Double.isNaN(o.target()));
    }

    @Test
    void magnitudesBeyondTheLearnableRangeAreOutOfRange() throws Exception {
        String tooLarge = "' is above the range of a double, far beyond ±1e100: too extreme to learn from";
        assertRejected(rejected("{\"a\": 1e400, \"m\": {\"b\": 2}}"), Reason.OUT_OF_RANGE, "feature 'a" + tooLarge);
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": 1e300}"), Reason.OUT_OF_RANGE,
                "target 'y' = 1.0E300 is beyond ±1e100: too extreme to learn from");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": -1e300}"), Reason.OUT_OF_RANGE,
                "target 'y' = -1.0E300 is beyond ±1e100: too extreme to learn from");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": \"1e300\"}"), Reason.OUT_OF_RANGE,
                "target 'y' = 1e300 is beyond ±1e100: too extreme to learn from");
        assertRejected(rejected("{\"a\": 1" + "0".repeat(120) + ", \"m\": {\"b\": 2}}"), Reason.OUT_OF_RANGE,
                "feature 'a' = 1.0E120 is beyond ±1e100: too extreme to learn from");
        assertEquals(1e100, decode("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": 1e100}").target()); // the bound itself
        assertEquals(-1e99, decode("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": \"-1e99\"}").target());
    }

    @Test
    void timeIsEpochMillisOrAnIsoInstant() throws Exception {
        String rest = "\"dev\": {\"id\": \"d\"}, \"x\": 1, \"p\": {\"q\": {\"r\": 2}}}";
        assertEquals(1_700_000_000_123L, decode(byFields, null, "{\"ts\": 1700000000123, " + rest).eventTime());
        assertEquals(-5L, decode(byFields, null, "{\"ts\": -5, " + rest).eventTime());
        assertEquals(1_700_000_000_123L,
                decode(byFields, null, "{\"ts\": \"2023-11-14T22:13:20.123Z\", " + rest).eventTime());
    }

    @Test
    void badTimeIsRejected() throws Exception {
        String rest = "\"dev\": {\"id\": \"d\"}, \"x\": 1, \"p\": {\"q\": {\"r\": 2}}}";
        assertRejected(rejected(byFields, null, "{" + rest), Reason.MISSING_FIELD, "time field 'ts' is missing");
        assertRejected(rejected(byFields, null, "{\"ts\": null, " + rest), Reason.MISSING_FIELD,
                "time field 'ts' is missing");
        String neither = "' is neither epoch milliseconds nor an ISO-8601 instant";
        assertRejected(rejected(byFields, null, "{\"ts\": \"yesterday\", " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = 'yesterday" + neither);
        assertRejected(rejected(byFields, null, "{\"ts\": \"1700000000123\", " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = '1700000000123" + neither);
        assertRejected(rejected(byFields, null, "{\"ts\": 1.7e12, " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = '1.7E12" + neither);
        assertRejected(rejected(byFields, null, "{\"ts\": true, " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = 'true" + neither);
        assertRejected(rejected(byFields, null, "{\"ts\": {\"ms\": 5}, " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = '" + neither);
        assertRejected(rejected(byFields, null, "{\"ts\": [5], " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = '" + neither);
        // Beyond the range of a long: rejected, never wrapped.
        assertRejected(rejected(byFields, null, "{\"ts\": 9223372036854775808, " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = '9223372036854775808" + neither);
        assertRejected(rejected(byFields, null, "{\"ts\": -99999999999999999999, " + rest), Reason.BAD_TIMESTAMP,
                "time field 'ts' = '-99999999999999999999" + neither);
        assertRejected(rejected(byFields, null, "{\"ts\": \"+1000000000-01-01T00:00:00Z\", " + rest),
                Reason.BAD_TIMESTAMP, "time field 'ts' = '+1000000000-01-01T00:00:00Z" + neither);
        assertEquals(Long.MAX_VALUE, decode(byFields, null, "{\"ts\": 9223372036854775807, " + rest).eventTime());
    }

    @Test
    void checksRunInOrderSeriesIdTimeFeaturesTarget() {
        assertRejected(rejected(byFields, null, "{\"ts\": \"bad\", \"x\": \"bad\", \"out\": {\"y\": true}}"),
                Reason.MISSING_FIELD, "series id field 'dev.id' is missing");
        assertRejected(rejected(byFields, null, "{\"dev\": {\"id\": 1}, \"ts\": \"bad\", \"x\": \"bad\"}"),
                Reason.BAD_TIMESTAMP, "time field 'ts' = 'bad' is neither epoch milliseconds nor an ISO-8601 instant");
        assertRejected(rejected(byFields, null, "{\"dev\": {\"id\": 1}, \"ts\": 1, \"out\": {\"y\": true}, \"x\": \"bad\"}"),
                Reason.NON_NUMERIC, "feature 'x' = 'bad' is not a number");
        assertRejected(rejected("{\"m\": {\"b\": \"bad\"}, \"y\": true}"), Reason.MISSING_FIELD,
                "feature 'a' is missing");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": true, \"zz\": [1,"), Reason.CORRUPT,
                rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"y\": true, \"zz\": [1,").getMessage());
    }

    @Test
    void duplicateKeysLastOneWins() throws Exception {
        Observation o = decode("{\"a\": \"bad\", \"m\": {\"b\": 1, \"b\": 2}, \"a\": 3, \"y\": true, \"y\": null}");
        assertArrayEquals(new double[] {3.0, 2.0}, o.features());
        assertTrue(Double.isNaN(o.target()));
        assertEquals(5.0, decode("{\"a\": 1, \"m\": {\"b\": 9}, \"m\": {\"b\": 5}}").features()[1]);
        // A later duplicate of a parent object replaces the whole object, not just the fields it repeats.
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"m\": {\"c\": 3}}"), Reason.MISSING_FIELD,
                "feature 'm.b' is missing");
        assertRejected(rejected("{\"a\": 1, \"m\": {\"b\": 2}, \"m\": 7}"), Reason.MISSING_FIELD,
                "feature 'm.b' is missing");
        assertRejected(rejected("{\"a\": 1, \"a\": null, \"m\": {\"b\": 2}, \"a\": {}}"), Reason.NON_NUMERIC,
                "feature 'a' is OBJECT, not a number");
    }

    @Test
    void aFieldCanBeBothAFeatureAndTheParentOfAnother() throws Exception {
        JsonRecordDecoder decoder = new JsonRecordDecoder(InputFields.of("a", null, List.of("a", "a.b"), "a"));
        assertRejected(rejected(decoder, null, "{\"a\": {\"b\": 1}}"), Reason.MISSING_FIELD,
                "series id field 'a' is missing");
        JsonRecordDecoder sameField = new JsonRecordDecoder(InputFields.of("k", null, List.of("k", "k"), "k"));
        Observation o = decode(sameField, null, "{\"k\": 4}");
        assertEquals("4", o.seriesId());
        assertArrayEquals(new double[] {4.0, 4.0}, o.features());
        assertEquals(4.0, o.target());
    }

    @Test
    void decoderIsReusableAfterARejectedRecord() throws Exception {
        rejected("{\"a\": 1, \"m\": {\"b\": [");
        rejected("{\"a\": \"x\", \"m\": {\"b\": 1}, \"y\": 2}");
        Observation o = decode("{\"a\": 1, \"m\": {\"b\": 2}}");
        assertArrayEquals(new double[] {1.0, 2.0}, o.features());
        assertTrue(Double.isNaN(o.target()));
    }
}
