package io.streamgru.model.optim;

/**
 * {@code baseRate / (1 + decayRate * step / decaySteps)}, the smooth (non-staircase) inverse-time
 * decay: the rate halves after {@code decaySteps / decayRate} steps and keeps falling like 1/t,
 * which suits a stream that never ends.
 */
public record InverseTimeDecay(double baseRate, double decayRate, long decaySteps) implements LearningRateSchedule {

    public InverseTimeDecay {
        Require.nonNegative("baseRate", baseRate);
        Require.nonNegative("decayRate", decayRate);
        Require.atLeastOne("decaySteps", decaySteps);
    }

    @Override
    public double rate(long step) {
        return baseRate / (1 + decayRate * step / decaySteps);
    }
}
