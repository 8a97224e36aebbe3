package io.streamgru.model.optim;

/**
 * {@code baseRate * gamma^floor(step / stepSize)}: the closed form of torch's {@code StepLR}.
 * (torch updates the rate by repeated multiplication, which may differ in the last bits.)
 */
public record StepDecay(double baseRate, long stepSize, double gamma) implements LearningRateSchedule {

    public StepDecay {
        Require.nonNegative("baseRate", baseRate);
        Require.atLeastOne("stepSize", stepSize);
        Require.positive("gamma", gamma);
    }

    @Override
    public double rate(long step) {
        return baseRate * Math.pow(gamma, step / stepSize);
    }
}
