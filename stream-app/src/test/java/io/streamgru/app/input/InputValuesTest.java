package io.streamgru.app.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgru.app.input.InvalidRecordException.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The input value policy: which texts are numbers, which are missing, which are rejected and why. */
class InputValuesTest {

    private static double parse(String text) throws InvalidRecordException {
        return InputValues.parse(text, "feature '", "x");
    }

    private static Reason rejection(String text) {
        return assertThrows(InvalidRecordException.class, () -> parse(text), text).reason();
    }

    @Test
    void decimalAndScientificNotationAreNumbers() throws Exception {
        Map<String, Double> accepted = new LinkedHashMap<>();
        accepted.put("0", 0.0);
        accepted.put("42", 42.0);
        accepted.put("-7", -7.0);
        accepted.put("+7", 7.0);
        accepted.put("3.25", 3.25);
        accepted.put("-0.5", -0.5);
        accepted.put(".5", 0.5);
        accepted.put("5.", 5.0);
        accepted.put("1e3", 1000.0);
        accepted.put("2.5E-4", 2.5e-4);
        accepted.put("-1.5e+2", -150.0);
        accepted.put("007", 7.0);
        accepted.put("  12.5\t", 12.5);
        accepted.put("1e-300", 1e-300);
        accepted.put("1e100", 1e100);
        accepted.put("-1e100", -1e100);
        for (Map.Entry<String, Double> e : accepted.entrySet()) {
            assertEquals(e.getValue(), parse(e.getKey()), "'" + e.getKey() + "'");
        }
    }

    @Test
    void numeralsHaveTheBitsDoubleParseDoubleGives() throws Exception {
        // parse uses Jackson's fast double parser: it must round every numeral as the JDK does.
        // Besides numerals JSON has, the ones only text may hold: a sign, a bare point, leading zeros.
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of("+2.5", ".5", "5.", "-.25e-3",
                "0000.000120", "1E+5"));
        texts.addAll(DecimalNumerals.sample(9, 20_000));
        for (String text : texts) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(parse(text)),
                    text);
        }
    }

    @Test
    void anyOtherNotationIsNotANumber() {
        for (String text : new String[] {"0x1p3", "0x10", "21d", "21f", "1.5F", "1_000", "1,000", "1,5", "1e", "e5",
            "1e+", ".", "-", "+", "--1", "+-1", "1.2.3", "1 2", "warm", "1e5.5", "½", "١٢", "NaN1", "Infinityy",
            "in f", "0b101"}) {
            assertEquals(Reason.NON_NUMERIC, rejection(text), "'" + text + "'");
        }
    }

    @Test
    void emptyNanNaAndNullAreMissing() throws Exception {
        for (String text : new String[] {"", "   ", "NaN", "nan", "NAN", "NA", "na", "null", "NULL"}) {
            assertTrue(Double.isNaN(parse(text)), "'" + text + "'");
        }
        assertTrue(Double.isNaN(InputValues.value(Double.NaN, "feature '", "x")));
    }

    @Test
    void infinityIsNonFinite() {
        for (String text : new String[] {"Infinity", "-Infinity", "+Infinity", "inf", "-inf", "INF", "infinity"}) {
            assertEquals(Reason.NON_FINITE, rejection(text), "'" + text + "'");
        }
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> InputValues.value(Double.NEGATIVE_INFINITY, "target '", "y"));
        assertEquals(Reason.NON_FINITE, e.reason());
        assertEquals("target 'y' is -Infinity", e.getMessage());
    }

    @Test
    void magnitudesBeyondTheLearnableRangeAreOutOfRange() throws Exception {
        for (String text : new String[] {"1e300", "-1e300", "1.0000001e100", "1e400", "-1e999",
            "1" + "0".repeat(120)}) {
            assertEquals(Reason.OUT_OF_RANGE, rejection(text), "'" + text + "'");
        }
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> parse("1e300"));
        assertEquals("feature 'x' = 1e300 is beyond ±1e100: too extreme to learn from", e.getMessage());
        assertEquals(Reason.OUT_OF_RANGE, assertThrows(InvalidRecordException.class,
                () -> InputValues.numeral(Double.POSITIVE_INFINITY, "target '", "y")).reason()); // an overflowed numeral
        assertEquals(Reason.OUT_OF_RANGE, assertThrows(InvalidRecordException.class,
                () -> InputValues.value(-3e200, "target '", "y")).reason());
        assertEquals(1e100, InputValues.numeral(1e100, "target '", "y"));
        assertEquals(-2.5, InputValues.value(-2.5, "target '", "y"));
    }

    @Test
    void timesBeyondTheRangeOfEpochMillisecondsAreBadTimestamps() throws Exception {
        assertEquals(1_700_000_000_123L, InputValues.epochMillis("2023-11-14T22:13:20.123Z", "time field '", "ts"));
        // Instant allows years up to 1,000,000,000; their epoch milliseconds overflow a long.
        for (String text : new String[] {"+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "yesterday",
            "1700000000123"}) {
            InvalidRecordException e = assertThrows(InvalidRecordException.class,
                    () -> InputValues.epochMillis(text, "time field '", "ts"), text);
            assertEquals(Reason.BAD_TIMESTAMP, e.reason(), text);
        }
        assertEquals(Reason.BAD_TIMESTAMP, assertThrows(InvalidRecordException.class,
                () -> InputValues.epochMillis(Instant.MAX, "time field '", "ts")).reason());
    }
}
