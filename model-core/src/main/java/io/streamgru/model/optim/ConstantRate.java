package io.streamgru.model.optim;

/** The same rate for every step. */
public record ConstantRate(double baseRate) implements LearningRateSchedule {

    public ConstantRate {
        Require.nonNegative("baseRate", baseRate);
    }

    @Override
    public double rate(long step) {
        return baseRate;
    }
}
