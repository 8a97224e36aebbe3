package io.streamgru.app.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decimal numerals that are also valid JSON numbers, for checking that a fast double parser rounds
 * every one as {@code Double.parseDouble} does: hard cases (subnormals, the smallest normal, 2^53 + 1,
 * digits past the 17th, near-halfway strings), then random doubles printed shortest, with 25
 * fraction digits, and short fixed-point readings.
 */
final class DecimalNumerals {

    private static final List<String> HARD = List.of("0.1", "-0.0", "4.9e-324", "2.4703282292062328e-324",
            "2.2250738585072011e-308", "9007199254740993", "0.30000000000000004441",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.0000000000000001110223024625156540423631668090820312500000000001",
            "123456789012345678901234567890e-20", "9.999999999999999e99");

    private DecimalNumerals() {
    }

    /** The hard cases and 3 × {@code count} random numerals, all within ±1e100. */
    static List<String> sample(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>(HARD);
        for (int i = 0; i < count; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(v) || Math.abs(v) > 1e100) {
                v = random.nextDouble(-1e6, 1e6);
            }
            texts.add(Double.toString(v));
            texts.add(String.format(Locale.ROOT, "%.25e", v));
            texts.add(String.format(Locale.ROOT, "%.4f", random.nextDouble(-100, 100)));
        }
        return texts;
    }
}
