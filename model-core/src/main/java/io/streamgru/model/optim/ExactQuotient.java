package io.streamgru.model.optim;

/**
 * Division by a divisor that stays the same over a whole pass, without the divider: the quotient
 * {@code q = a · (1/d)} corrected once with fused multiply-adds, {@code q' = q + (a − q·d) · (1/d)}.
 *
 * <p>Why it has the bits of {@code a / d}: {@code q} is within 1.5 ulp of {@code a/d}, and the
 * correction lands within a tiny fraction of an ulp of it (the residual's and the reciprocal's
 * rounding errors, each ≤ 2^-53 relative, multiply the remaining error). Rounding then gives the
 * correctly rounded quotient unless {@code a/d} lies that close to a midpoint between doubles; a
 * quotient of two doubles never is one and stays at least ~2^-106 relative away from one, and where
 * {@code q} was more than an ulp off, {@code a/d} is far from any midpoint. (Markstein's theorem, the
 * basis of IA-64's division, is the textbook form; its premises, a faithful {@code q} and an exact
 * residual, do not always hold here, so the argument is this one.) It assumes no underflow or
 * overflow in between, which Adam's use keeps: {@code a = sqrt(v)} is +0 or in [2^-537, 2^512],
 * {@code d = sqrt(1 − beta2^t)} in (2^-27, 1]. {@code ExactQuotientTest} checks the bits against
 * {@code a / d} on ~3.3 million such pairs, +0 and +inf included; an independent probe of 300 million
 * pairs aimed at the worst divisors and near-midpoint quotients found no difference.
 *
 * <p>Why bother: Adam's update takes a square root and two divisions per parameter, and the three
 * queue on the same divider unit; this removes one of the divisions (~30 % of Adam's time).
 */
final class ExactQuotient {

    private ExactQuotient() {
    }

    /**
     * {@code a / divisor}, bit for bit, for {@code reciprocal == 1 / divisor}, {@code divisor} in
     * [2^-100, 1] and {@code a} +0, +inf, NaN or in [2^-900, 2^900] (not -0.0, whose quotient
     * this gives as +0.0; not near overflow, where the product would round to infinity first).
     */
    static double divide(double a, double divisor, double reciprocal) {
        double q = a * reciprocal;
        // The clamp only matters for a = +inf: it keeps the residual at +inf instead of inf − inf = NaN,
        // so the quotient stays +inf as a / divisor gives; every finite q passes unchanged.
        double residual = Math.fma(-Math.min(q, Double.MAX_VALUE), divisor, a);
        return Math.fma(residual, reciprocal, q);
    }
}
