package io.streamgru.model.optim;

/**
 * The learning rate as a pure function of how many optimizer steps were already taken. Being
 * stateless, a schedule needs no snapshot: restoring the optimizer's step count restores the rate.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param step optimizer steps already taken, {@code >= 0}; 0 for the first step
     * @return the learning rate for that step
     */
    double rate(long step);
}
