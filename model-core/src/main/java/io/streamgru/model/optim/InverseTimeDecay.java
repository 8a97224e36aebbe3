package io.streamgru.model.optim;

/**
 * {@code max(minRate, baseRate / (1 + decayRate * step / decaySteps))}, the smooth (non-staircase)
 * inverse-time decay with an optional floor: the rate halves after {@code decaySteps / decayRate}
 * steps and keeps falling like 1/t until it reaches {@code minRate}, where it stays.
 *
 * <p>Without a floor ({@code minRate = 0}) the rate tends to zero: after a million steps a stream
 * has all but stopped learning, so it cannot follow a change in what it sees. A floor keeps it
 * adapting at {@code minRate} for ever. A floor at or above {@code baseRate} holds the rate at
 * {@code baseRate}: the floor never lifts the rate above the base rate it decays from (so a low
 * {@code --lr} under a schedule with a floor still means that low rate).
 */
public record InverseTimeDecay(double baseRate, double decayRate, long decaySteps, double minRate)
        implements LearningRateSchedule {

    public InverseTimeDecay {
        Require.nonNegative("baseRate", baseRate);
        Require.nonNegative("decayRate", decayRate);
        Require.atLeastOne("decaySteps", decaySteps);
        Require.nonNegative("minRate", minRate);
    }

    /** Decays towards zero, with no floor. */
    public InverseTimeDecay(double baseRate, double decayRate, long decaySteps) {
        this(baseRate, decayRate, decaySteps, 0.0);
    }

    @Override
    public double rate(long step) {
        double decayed = baseRate / (1 + decayRate * step / decaySteps);
        return Math.max(Math.min(minRate, baseRate), decayed);
    }
}
