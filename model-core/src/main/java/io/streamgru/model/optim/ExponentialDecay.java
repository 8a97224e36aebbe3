package io.streamgru.model.optim;

/** {@code baseRate * gamma^step}: the closed form of torch's {@code ExponentialLR}. */
public record ExponentialDecay(double baseRate, double gamma) implements LearningRateSchedule {

    public ExponentialDecay {
        Require.nonNegative("baseRate", baseRate);
        Require.positive("gamma", gamma);
    }

    @Override
    public double rate(long step) {
        return baseRate * Math.pow(gamma, step);
    }
}
