package io.streamgru.model.online;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a key may go without a reading before its state is dropped ({@code learner.key.ttl}),
 * as settings write it: {@code off} (or {@code 0}), a number with a unit ({@code 500ms}, {@code 45s},
 * {@code 90m}, {@code 12h}, {@code 30d}) or ISO-8601 ({@code P30D}, {@code PT12H}). Held as a
 * {@link Duration}; {@link Duration#ZERO} is off.
 */
public final class IdleTime {

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private IdleTime() {
    }

    /** The duration {@code text} names; IllegalArgumentException saying what is allowed otherwise. */
    public static Duration parse(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("0")) {
            return Duration.ZERO;
        }
        if (v.startsWith("p")) {
            try {
                return positive(Duration.parse(v.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException e) {
                throw wrong(text);
            }
        }
        Matcher m = NUMBER_AND_UNIT.matcher(v);
        if (!m.matches()) {
            throw wrong(text);
        }
        try {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return positive(d, text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw wrong(text);
        }
    }

    /** The duration as {@link #parse} reads it back, in the largest unit that writes it exactly. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "off";
        }
        long ms = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }

    /** {@code d} if it is zero or at least 1 ms and fits a long of milliseconds (as the learner holds it). */
    private static Duration positive(Duration d, String text) {
        long ms;
        try {
            ms = d.toMillis();
        } catch (ArithmeticException e) {
            throw wrong(text);
        }
        if (d.isNegative() || ms == 0 && !d.isZero()) {
            throw new IllegalArgumentException("must be off or at least 1ms, got '" + text + "'");
        }
        return d;
    }

    private static IllegalArgumentException wrong(String text) {
        return new IllegalArgumentException("must be off or a duration like 30d, 12h, 90m, 45s, 500ms or P30D, got '"
                + text + "'");
    }
}
