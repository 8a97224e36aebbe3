package io.streamgru.app.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgru.app.input.InvalidRecordException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * The Avro decoder's numbers and times follow the same {@link InputValues} policy as JSON and CSV.
 * The record stands for what the registry-backed deserializer returns (that path has its own tests).
 */
class AvroRecordDecoderValuesTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Reading", "fields": [
              {"name": "load", "type": ["null", "double"]},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "power", "type": ["null", "double"]},
              {"name": "at", "type": ["null", "long", "string"], "default": null}]}""");

    private static Observation decode(GenericRecord record, String time, String feature) throws InvalidRecordException {
        Deserializer<Object> values = (topic, bytes) -> record;
        AvroRecordDecoder decoder = new AvroRecordDecoder(values, values,
                InputFields.of(null, time, List.of(feature), "power"));
        Observation into = new Observation(1);
        decoder.decode("t", "pump-1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1}, 7L, into);
        return into;
    }

    private static GenericRecord reading(Double load, Double power) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("load", load);
        r.put("power", power);
        return r;
    }

    private static InvalidRecordException rejected(GenericRecord record, String time, String feature) {
        return assertThrows(InvalidRecordException.class, () -> decode(record, time, feature));
    }

    @Test
    void aTargetBeyondTheLearnableRangeIsOutOfRange() {
        InvalidRecordException e = rejected(reading(1.0, 1e300), null, "load");
        assertEquals(Reason.OUT_OF_RANGE, e.reason());
        assertEquals("target 'power' = 1.0E300 is beyond ±1e100: too extreme to learn from", e.getMessage());
        assertEquals(Reason.OUT_OF_RANGE, rejected(reading(-2e101, 1.0), null, "load").reason());
    }

    @Test
    void infinityIsNonFiniteAndNanIsAGap() throws Exception {
        assertEquals(Reason.NON_FINITE, rejected(reading(Double.POSITIVE_INFINITY, 1.0), null, "load").reason());
        Observation o = decode(reading(Double.NaN, Double.NaN), null, "load");
        assertTrue(Double.isNaN(o.features()[0]));
        assertTrue(Double.isNaN(o.target()));
        assertEquals(1e100, decode(reading(1.0, 1e100), null, "load").target());
    }

    @Test
    void numbersInStringFieldsAreDecimalOrScientificOnly() throws Exception {
        GenericRecord r = reading(1.0, 2.0);
        r.put("note", "2.5e3");
        assertEquals(2500.0, decode(r, null, "note").features()[0]);
        r.put("note", "0x1p3");
        InvalidRecordException e = rejected(r, null, "note");
        assertEquals(Reason.NON_NUMERIC, e.reason());
        assertEquals("feature 'note' = '0x1p3' is not a number", e.getMessage());
        r.put("note", "");
        assertTrue(Double.isNaN(decode(r, null, "note").features()[0]));
    }

    @Test
    void timesBeyondTheRangeOfEpochMillisecondsAreBadTimestamps() throws Exception {
        GenericRecord r = reading(1.0, 2.0);
        r.put("at", 1_700_000_000_123L);
        assertEquals(1_700_000_000_123L, decode(r, "at", "load").eventTime());
        r.put("at", "+1000000000-01-01T00:00:00Z");
        assertEquals(Reason.BAD_TIMESTAMP, rejected(r, "at", "load").reason());
    }
}
