package io.streamgru.app.input;

import com.fasterxml.jackson.core.io.NumberInput;
import io.streamgru.app.input.InvalidRecordException.Reason;
import io.streamgru.model.online.LearnableRange;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The one policy by which input values become what the learner takes, the same for CSV cells and
 * for JSON and Avro fields (both decoders read every number and time through here):
 * <ul>
 * <li>Numbers in text are decimal or scientific notation only: an optional sign, digits with an
 *     optional decimal point ({@code 5}, {@code -0.25}, {@code .5}, {@code 5.}), an optional
 *     exponent ({@code 1e-3}, {@code 2.5E+4}); whitespace around them is ignored. Anything else
 *     ({@code 0x1p3}, {@code 21d}, {@code 1_000}, {@code 1,5}) is {@code NON_NUMERIC}.</li>
 * <li>Missing: empty text, {@code NaN}, {@code NA}, {@code null} (any case), and a NaN value. A
 *     missing feature is imputed by the learner; a missing target means "not known" (forecast,
 *     not learned from).</li>
 * <li>{@code Infinity}/{@code inf} (any case, either sign) and an infinite value: {@code
 *     NON_FINITE}, rejected.</li>
 * <li>A magnitude beyond {@link LearnableRange#MAX_MAGNITUDE} (including numerals too large for a
 *     double, such as {@code 1e400}): {@code OUT_OF_RANGE}, rejected: too extreme to learn from.</li>
 * <li>Event times are integer epoch milliseconds that fit a long, or ISO-8601 instants whose epoch
 *     milliseconds do; anything else is {@code BAD_TIMESTAMP} (never wrapped).</li>
 * </ul>
 * Rejection messages name the value as {@code what + path + "'"}, e.g. {@code feature 'load'}; they
 * are only built for rejections.
 */
public final class InputValues {

    private static final String MAX_SHOWN =
            java.math.BigDecimal.valueOf(LearnableRange.MAX_MAGNITUDE).stripTrailingZeros().toString().replace("E+", "e");

    private InputValues() {
    }

    /**
     * A number written as text; NaN when the text says "missing".
     *
     * @throws InvalidRecordException NON_NUMERIC, NON_FINITE or OUT_OF_RANGE
     */
    public static double parse(String text, String what, Object path) throws InvalidRecordException {
        String s = text.strip();
        if (isNumeral(s)) {
            // Jackson's FastDoubleParser, as the JSON decoder uses: correctly rounded like
            // Double.parseDouble (the same bits, InputValuesTest), and faster.
            return numeral(NumberInput.parseDouble(s, true), s, what, path);
        }
        if (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("na") || s.equalsIgnoreCase("null")) {
            return Double.NaN;
        }
        String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            throw new InvalidRecordException(Reason.NON_FINITE, what + path + "' is "
                    + (s.startsWith("-") ? "-Infinity" : "Infinity"));
        }
        throw new InvalidRecordException(Reason.NON_NUMERIC, what + path + "' = '" + text + "' is not a number");
    }

    /**
     * A number the input wrote in decimal notation (a JSON number), as a double: infinite only if
     * the numeral overflowed.
     *
     * @throws InvalidRecordException OUT_OF_RANGE
     */
    public static double numeral(double v, String what, Object path) throws InvalidRecordException {
        return LearnableRange.contains(v) ? v : numeral(v, null, what, path);
    }

    /**
     * A binary number (an Avro double, float, int or long): NaN is missing.
     *
     * @throws InvalidRecordException NON_FINITE or OUT_OF_RANGE
     */
    public static double value(double v, String what, Object path) throws InvalidRecordException {
        if (LearnableRange.contains(v) || Double.isNaN(v)) {
            return v;
        }
        if (Double.isInfinite(v)) {
            throw new InvalidRecordException(Reason.NON_FINITE, what + path + "' is " + v);
        }
        throw outOfRange(Double.toString(v), what, path);
    }

    /**
     * Epoch milliseconds from an ISO-8601 instant.
     *
     * @throws InvalidRecordException BAD_TIMESTAMP: not an instant, or beyond the range of epoch milliseconds
     */
    public static long epochMillis(String text, String what, Object path) throws InvalidRecordException {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw badTimestamp(text, what, path);
        }
    }

    /** Epoch milliseconds of an instant. @throws InvalidRecordException BAD_TIMESTAMP beyond the range of a long */
    public static long epochMillis(Instant instant, String what, Object path) throws InvalidRecordException {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw badTimestamp(instant.toString(), what, path);
        }
    }

    /** The rejection of a time that is neither epoch milliseconds (in the range of a long) nor an ISO-8601 instant. */
    public static InvalidRecordException badTimestamp(String text, String what, Object path) {
        return new InvalidRecordException(Reason.BAD_TIMESTAMP, what + path + "' = '" + text
                + "' is neither epoch milliseconds nor an ISO-8601 instant");
    }

    private static double numeral(double v, String text, String what, Object path) throws InvalidRecordException {
        if (LearnableRange.contains(v)) {
            return v;
        }
        if (text == null && Double.isInfinite(v)) {
            throw new InvalidRecordException(Reason.OUT_OF_RANGE, what + path + "' is " + (v < 0 ? "below" : "above")
                    + " the range of a double, far beyond ±" + MAX_SHOWN + ": too extreme to learn from");
        }
        throw outOfRange(text != null ? text : Double.toString(v), what, path);
    }

    private static InvalidRecordException outOfRange(String shown, String what, Object path) {
        return new InvalidRecordException(Reason.OUT_OF_RANGE, what + path + "' = " + shown + " is beyond ±"
                + MAX_SHOWN + ": too extreme to learn from");
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, nothing else. */
    static boolean isNumeral(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
