package io.streamgru.model.optim;

import java.util.Objects;

/**
 * A linear ramp in front of another schedule. With {@code N = warmupSteps} and
 * {@code target = inner.rate(0)}:
 *
 * <pre>
 * rate(step) = target * ((step + 1) / N)   for step &lt; N   (target/N, 2·target/N, ..., target)
 * rate(step) = inner.rate(step - N)        for step &gt;= N  (the inner schedule from its start)
 * </pre>
 *
 * <p>The ramp never uses a zero rate and ends exactly on the inner schedule's first rate, so the
 * hand-over is continuous. For {@code N >= 2} it equals torch's
 * {@code LinearLR(start_factor=1/N, total_iters=N-1)} followed by the inner scheduler at
 * milestone {@code N}.
 */
public record LinearWarmup(long warmupSteps, LearningRateSchedule inner) implements LearningRateSchedule {

    public LinearWarmup {
        Require.atLeastOne("warmupSteps", warmupSteps);
        Objects.requireNonNull(inner, "inner");
    }

    @Override
    public double rate(long step) {
        if (step < warmupSteps) {
            // Fraction first: at step N - 1 it is exactly 1, so the ramp lands exactly on target.
            return inner.rate(0) * ((double) (step + 1) / warmupSteps);
        }
        return inner.rate(step - warmupSteps);
    }
}
