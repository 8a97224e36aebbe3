package io.streamgru.model.optim;

/**
 * A first-order optimizer over one flat parameter array, numerically matching the corresponding
 * {@code torch.optim} class (PyTorch 1.13, single-tensor code path, float64).
 *
 * <p>The learning rate is passed to every {@link #step} rather than stored, so a
 * {@link LearningRateSchedule} can drive it without the optimizer knowing. Implementations do not
 * allocate in {@code step} and are not thread-safe.
 */
public interface Optimizer {

    /**
     * Applies one update in place to {@code params[0..size())}.
     *
     * @param params the parameters, updated in place
     * @param grads the already averaged (and clipped) gradient; read only, never modified. Weight
     *     decay, if configured, is applied internally exactly where torch applies it.
     * @param learningRate the rate for this step, {@code >= 0}
     */
    void step(double[] params, double[] grads, double learningRate);

    /** Forgets all moments and sets the step count back to zero, as a freshly built optimizer. */
    void reset();

    /**
     * Zeroes the moments but keeps the step count, so the schedule (driven by {@link #steps()})
     * goes on where it was: a drift policy's reset, unlike {@link #reset()}, which also restarts the
     * schedule. The default goes through {@link #exportState()}; implementations may do it in place.
     */
    default void resetMoments() {
        double[] s = exportState();
        java.util.Arrays.fill(s, 1, s.length, 0.0);
        importState(s);
    }

    /** Number of {@link #step} calls since construction, {@link #reset} or the imported state. */
    long steps();

    /** Number of parameters this optimizer updates. */
    int size();

    /**
     * The complete mutable state as one flat array: {@code [steps, moment0[0..size), moment1...]}.
     * Which moments, and so the length, depends on the implementation and its configuration.
     * Importing it into an identically configured optimizer continues bit for bit.
     */
    double[] exportState();

    /**
     * Replaces the state with one produced by {@link #exportState} of an identically configured
     * optimizer.
     *
     * @throws IllegalArgumentException if the length or step count does not fit this optimizer
     */
    void importState(double[] state);

    /** Short lowercase identifier, e.g. {@code "adamw"}, as used on the command line and in logs. */
    String name();
}
