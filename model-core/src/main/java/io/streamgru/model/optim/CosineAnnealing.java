package io.streamgru.model.optim;

/**
 * Half a cosine from {@code baseRate} down to {@code minRate} over {@code totalSteps}:
 * {@code minRate + (baseRate - minRate) * (1 + cos(pi * step / totalSteps)) / 2}, the closed form
 * of torch's {@code CosineAnnealingLR}. Unlike torch, which would climb back up along the cosine,
 * the rate stays at {@code minRate} from {@code totalSteps} on, since a stream has no epochs to
 * restart.
 */
public record CosineAnnealing(double baseRate, long totalSteps, double minRate) implements LearningRateSchedule {

    public CosineAnnealing {
        Require.nonNegative("baseRate", baseRate);
        Require.atLeastOne("totalSteps", totalSteps);
        Require.nonNegative("minRate", minRate);
    }

    /** Anneals down to zero. */
    public CosineAnnealing(double baseRate, long totalSteps) {
        this(baseRate, totalSteps, 0.0);
    }

    @Override
    public double rate(long step) {
        if (step >= totalSteps) {
            return minRate;
        }
        return minRate + (baseRate - minRate) * (1 + Math.cos(Math.PI * step / totalSteps)) / 2;
    }
}
