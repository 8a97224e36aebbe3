package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactQuotientTest {

    private static long bits(double x) {
        return Double.doubleToLongBits(x);
    }

    private static void assertSameBitsAsDivision(double a, double divisor) {
        double quotient = ExactQuotient.divide(a, divisor, 1 / divisor);
        assertThat(bits(quotient)).as("%s / %s", a, divisor).isEqualTo(bits(a / divisor));
    }

    @Test
    void dividesByAdamsBiasCorrectionsBitForBitOverEveryMagnitudeASquareRootCanHave() {
        SplittableRandom random = new SplittableRandom(7);
        long checked = 0;
        for (double beta2 : new double[] {0.999, 0.99, 0.98, 0.9999, 0.5}) {
            for (int t = 1; t <= 100_000; t += t < 1_000 ? 1 : 97) {
                double divisor = Math.sqrt(1 - Math.pow(beta2, t));
                for (int k = 0; k < 64; k++) {
                    // the square root of any finite non-negative double, normal or subnormal: Adam's sqrt(v)
                    double v = Double.longBitsToDouble(random.nextLong(0, 0x7FF0_0000_0000_0000L));
                    assertSameBitsAsDivision(Math.sqrt(v), divisor);
                    // and the small second moments training usually has
                    assertSameBitsAsDivision(Math.sqrt(random.nextDouble() * 1e-8), divisor);
                    checked += 2;
                }
            }
        }
        assertThat(checked).isGreaterThan(1_000_000);
    }

    @Test
    void dividesByAnyDivisorBetweenAFewHundredthsAndOneBitForBit() {
        SplittableRandom random = new SplittableRandom(11);
        for (int k = 0; k < 2_000_000; k++) {
            double divisor = 0.01 + 0.99 * random.nextDouble();
            double a = Math.sqrt(Double.longBitsToDouble(random.nextLong(0, 0x7FF0_0000_0000_0000L)));
            assertSameBitsAsDivision(a, divisor);
        }
    }

    @Test
    void keepsZeroInfinityAndNaNAsDivisionDoes() {
        double divisor = Math.sqrt(1 - Math.pow(0.999, 3));
        assertSameBitsAsDivision(0.0, divisor);
        assertSameBitsAsDivision(Double.POSITIVE_INFINITY, divisor);
        assertSameBitsAsDivision(Math.sqrt(Double.MAX_VALUE), divisor);
        assertSameBitsAsDivision(Math.sqrt(Double.MIN_VALUE), divisor); // the smallest square root of a positive v
        assertThat(ExactQuotient.divide(Double.NaN, divisor, 1 / divisor)).isNaN();
        assertSameBitsAsDivision(5.0, 1.0);
    }
}
