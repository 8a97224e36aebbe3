package io.streamgru.model.experts;

import java.util.Arrays;

/**
 * Combines N experts' forecasts of one series into one, by exponentially weighted averaging with
 * fixed share (Herbster &amp; Warmuth 1998, "Tracking the best expert"; Cesa-Bianchi &amp; Lugosi 2006,
 * "Prediction, Learning, and Games", §5.2), on a bounded loss of the normalised absolute error, so
 * that the combination follows whichever expert has been best lately and can switch back after a
 * regime change. The weights are plain arrays held by the caller (a series' state); this class holds
 * only the rule.
 *
 * <h2>The maths</h2>
 * <pre>
 * N experts, weights w ∈ Δ_N (w_i ≥ 0, Σ w_i = 1), starting at w_i = 1/N
 * forecast made with expert forecasts f_1..f_N:    ŷ = Σ_i w_i f_i
 * when its truth y arrives, with s &gt; 0 the series' error scale (known before y):
 *     ℓ_i = min(1, |y − f_i| / (B s))                                B = {@value #LOSS_BOUND}
 *     v_i = w_i e^(−η ℓ_i) / Σ_j w_j e^(−η ℓ_j)                      η = {@value #STANDARD_RATE}
 *     w_i ← α / N + (1 − α) v_i                                     α = {@value #STANDARD_SHARE}
 * </pre>
 * The first two lines are Hedge (exponential weights); the last is the fixed share: every step gives
 * back a fraction α of the weight to all experts alike, so no weight falls below α/N and an expert
 * that was bad for a long time regains the lead within about {@code ln(N/α) / (η Δℓ)} steps once it
 * is better by Δℓ per step (α/N = 5·10⁻⁴ at N = 2: about 8 / Δℓ steps at η = {@value #STANDARD_RATE}). The
 * loss is the absolute error in units of B error scales, clipped at 1 (a level shift or an outlier
 * counts as a bad step, not as an unbounded one). An update needs every expert's forecast, the truth
 * and the scale to be finite (and s &gt; 0); otherwise the weights stay as they are.
 *
 * <h2>The guarantee (the regret bound)</h2>
 * For losses in [0, 1] (which the clipping ensures, whatever the data), fixed share satisfies, for
 * every T, every sequence of experts i_1, …, i_T with at most m switches, whatever the data
 * (Cesa-Bianchi &amp; Lugosi, Theorem 5.2; no stationarity, an adversary may choose the losses):
 * <pre>
 * Σ_t Σ_i w_t,i ℓ_t,i  ≤  Σ_t ℓ_t,i_t  +  [ (m+1) ln N + m ln(1/α) + (T−m−1) ln(1/(1−α)) ] / η  +  η T / 8
 * </pre>
 * i.e. the weighted loss of the experts is within that of the best sequence of experts that switches
 * m times plus about {@code ((m+1) ln N + m ln(1/α)) / η + T (α/η + η/8)}. The forecast published is
 * the weighted average, and the absolute error is convex: {@code |y − ŷ| ≤ Σ_i w_i |y − f_i|}, so in
 * the target's units the combined forecast's error is never above the weighted error of the experts;
 * in loss units the same holds at every step where no expert's loss is clipped. The worst-case bound
 * is loose at this η (T·η/8 is a quarter of the largest loss per step); what it guarantees is the
 * shape: a fixed cost per switch of the best expert, none for how long it stays best.
 *
 * <p>Horizon h ≥ 2: a forecast's truth arrives h steps after it was made. The weights are kept per
 * slot (step modulo h; one slot for horizons 0 and 1), and slot j is used and updated only by the
 * steps of its residue class, whose truth has always arrived before the slot's next forecast: h
 * independent copies without delay (the standard reduction for delayed feedback, Weinberger &amp;
 * Ordentlich 2002). The bound holds for each copy on its T/h steps; summed, the ln N term is paid h
 * times and m counts switches within each residue class.
 *
 * <h2>State</h2>
 * N · slots numbers per series (the caller's array, {@link #weightCount()}), plus what the caller
 * keeps to recompute a slot's combination at its truth: the experts' pending forecasts. No
 * allocation per record. Not thread-safe (the scratch losses).
 */
public final class FixedShareAggregation {

    /** η: how fast the weights move per unit of loss difference. */
    public static final double STANDARD_RATE = 2.0;
    /** α: the fraction of weight shared back each step. */
    public static final double STANDARD_SHARE = 0.001;
    /** B: the error, in the series' error scales, at which the loss reaches its bound 1. */
    public static final double LOSS_BOUND = 4.0;

    private final int experts;
    private final int slots;
    private final double rate;
    private final double share;
    private final double[] factors;

    /** The rule with the standard rate and share. */
    public static FixedShareAggregation standard(int experts, int slots) {
        return new FixedShareAggregation(experts, slots, STANDARD_RATE, STANDARD_SHARE);
    }

    /**
     * @param experts N ≥ 1
     * @param slots   forecasts that may await their truth at once (the horizon; 1 for horizon 0)
     * @param rate    η &gt; 0
     * @param share   α in [0, 1)
     */
    public FixedShareAggregation(int experts, int slots, double rate, double share) {
        if (experts < 1 || slots < 1) {
            throw new IllegalArgumentException("experts and slots must be >= 1, got " + experts + ", " + slots);
        }
        if (!(rate > 0) || Double.isInfinite(rate) || !(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("rate must be > 0 and share in [0, 1), got " + rate + ", " + share);
        }
        this.experts = experts;
        this.slots = slots;
        this.rate = rate;
        this.share = share;
        this.factors = new double[experts];
    }

    public int experts() {
        return experts;
    }

    public int slots() {
        return slots;
    }

    /** Numbers in a series' weights: N per slot. */
    public int weightCount() {
        return experts * slots;
    }

    /** Uniform weights in every slot. */
    public void reset(double[] weights) {
        Arrays.fill(weights, 0, weightCount(), 1.0 / experts);
    }

    /**
     * The combined forecast Σ w_i f_i of the slot's weights. Experts without a forecast (NaN) are
     * left out and the others' weights renormalised; NaN when none has one.
     */
    public double combine(double[] weights, int slot, double[] forecasts) {
        int from = slot * experts;
        double sum = 0;
        double total = 0;
        for (int i = 0; i < experts; i++) {
            double f = forecasts[i];
            if (Double.isFinite(f)) {
                sum += weights[from + i] * f;
                total += weights[from + i];
            }
        }
        if (total == 0) {
            return Double.NaN;
        }
        return total == 1.0 ? sum : sum / total;
    }

    /** ℓ = min(1, |error| / (B s)): the bounded loss of an expert whose forecast missed by {@code error}. */
    public static double loss(double error, double scale) {
        return Math.min(1.0, Math.abs(error) / (LOSS_BOUND * scale));
    }

    /**
     * The truth of the slot's forecasts arrived: one Hedge step on the bounded losses, then the
     * fixed share. Changes nothing, and returns false, unless the truth, the scale (&gt; 0) and every
     * expert's forecast are finite.
     */
    public boolean update(double[] weights, int slot, double[] forecasts, double truth, double scale) {
        if (!Double.isFinite(truth) || !(scale > 0) || Double.isInfinite(scale)) {
            return false;
        }
        for (int i = 0; i < experts; i++) {
            if (!Double.isFinite(forecasts[i])) {
                return false;
            }
        }
        int from = slot * experts;
        double total = 0;
        for (int i = 0; i < experts; i++) {
            double v = weights[from + i] * Math.exp(-rate * loss(truth - forecasts[i], scale));
            factors[i] = v;
            total += v;
        }
        double floor = share / experts;
        for (int i = 0; i < experts; i++) {
            weights[from + i] = floor + (1 - share) * factors[i] / total;
        }
        return true;
    }

    /** The expert with the largest weight in the slot (the first of equals). */
    public int dominant(double[] weights, int slot) {
        int from = slot * experts;
        int best = 0;
        for (int i = 1; i < experts; i++) {
            if (weights[from + i] > weights[from + best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Whether {@code weights} can be a state of this rule (as read from storage): finite, each at
     * least the share's floor less a float32 rounding, each slot summing to 1 within that rounding.
     */
    public boolean plausible(double[] weights) {
        double tolerance = 1e-5;
        for (int s = 0; s < slots; s++) {
            double sum = 0;
            for (int i = 0; i < experts; i++) {
                double w = weights[s * experts + i];
                if (!Double.isFinite(w) || w < share / experts - tolerance || w > 1 + tolerance) {
                    return false;
                }
                sum += w;
            }
            if (Math.abs(sum - 1) > experts * tolerance) {
                return false;
            }
        }
        return true;
    }
}
