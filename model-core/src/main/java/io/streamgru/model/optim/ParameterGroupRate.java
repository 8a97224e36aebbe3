package io.streamgru.model.optim;

/**
 * A learning rate of its own for one group of parameters, {@code params[from..to)}, as a multiple of
 * the rate the optimizer steps at: what a second parameter group with its own {@code lr} is in
 * PyTorch, for an optimizer that keeps one set of moments.
 *
 * <p>Why an update can be scaled after the step: for every optimizer here the update of a parameter
 * is the learning rate times a function of its gradient and moments, and the moments do not depend
 * on the rate (SGD, momentum, Nesterov, RMSprop, Adam; AdamW's decoupled decay {@code p·lr·λ} is
 * linear in the rate too). So stepping at rate {@code r} and then moving the group back to
 * {@code before + m (after − before)} is that group stepping at {@code m·r}, equal up to the rounding
 * of that one multiply-add.
 *
 * <p>The multiple is a {@link LearningRateSchedule} on a base of 1 over the optimizer's steps, e.g.
 * {@code inverse:1:50:0.1}: 1 at the first step, ½ after 50, never below 0.1. Allocates nothing per
 * step; not thread-safe.
 */
public final class ParameterGroupRate {

    private final int from;
    private final int to;
    private final LearningRateSchedule multiple;
    private final double[] before;

    /**
     * @param from     first parameter of the group
     * @param to       one past its last
     * @param multiple the group's rate as a multiple of the optimizer's, by optimizer step
     */
    public ParameterGroupRate(int from, int to, LearningRateSchedule multiple) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("parameter group [" + from + ", " + to + ") is not a range");
        }
        this.from = from;
        this.to = to;
        this.multiple = multiple;
        this.before = new double[to - from];
    }

    /** Remembers the group's parameters; call right before the optimizer's step. */
    public void remember(double[] params) {
        System.arraycopy(params, from, before, 0, before.length);
    }

    /**
     * Scales the update the optimizer just made to the group by the multiple at {@code step}.
     *
     * @param step the optimizer steps taken before the one just made (0 for the first)
     */
    public void scaleUpdate(double[] params, long step) {
        double m = multiple.rate(step);
        if (m == 1.0) {
            return;
        }
        for (int i = from; i < to; i++) {
            double b = before[i - from];
            params[i] = b + m * (params[i] - b);
        }
    }

    /** The group's rate as a multiple of the optimizer's at {@code step}. */
    public double multiple(long step) {
        return multiple.rate(step);
    }
}
