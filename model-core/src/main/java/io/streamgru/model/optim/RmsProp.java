package io.streamgru.model.optim;

/**
 * RMSprop, matching {@code torch.optim.RMSprop} (PyTorch 1.13, {@code foreach=False}):
 *
 * <pre>
 * g = grad + weightDecay * p                       (only if weightDecay != 0)
 * s = alpha * s + (1 - alpha) * g * g
 * a = alpha * a + (1 - alpha) * g                  (only if centered)
 * d = sqrt(centered ? s - a * a : s) + eps
 * b = momentum * b + g / d;  p = p - lr * b        (if momentum > 0)
 * p = p - lr * g / d                               (otherwise)
 * </pre>
 *
 * <p>State layout: {@code [steps, s[0..size)]}, then {@code a} if centered, then {@code b} if
 * {@code momentum > 0}.
 */
public final class RmsProp extends MomentOptimizer {

    private final double alpha;
    private final double eps;
    private final double momentum;
    private final boolean centered;
    private final double weightDecay;
    private final double[] squareAvg;
    private final double[] gradAvg;
    private final double[] buffer;

    /** torch's defaults: alpha 0.99, eps 1e-8, no momentum, not centered, no weight decay. */
    public RmsProp(int size) {
        this(size, 0.99, 1e-8, 0.0, false, 0.0);
    }

    public RmsProp(int size, double alpha, double eps, double momentum, boolean centered, double weightDecay) {
        super(size, 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0));
        this.alpha = Require.nonNegative("alpha", alpha);
        this.eps = Require.nonNegative("eps", eps);
        this.momentum = Require.nonNegative("momentum", momentum);
        this.centered = centered;
        this.weightDecay = Require.nonNegative("weightDecay", weightDecay);
        int moments = 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
        this.squareAvg = state.moment(0);
        this.gradAvg = centered ? state.moment(1) : null;
        this.buffer = momentum > 0 ? state.moment(moments - 1) : null;
    }

    @Override
    public void step(double[] params, double[] grads, double learningRate) {
        state.checkStep(params, grads, learningRate);
        state.increment();
        double oneMinusAlpha = 1 - alpha;
        double negLr = -learningRate;
        int n = state.size();
        for (int i = 0; i < n; i++) {
            double g = grads[i];
            if (weightDecay != 0) {
                g = g + weightDecay * params[i];
            }
            double s = squareAvg[i] * alpha + oneMinusAlpha * g * g;
            squareAvg[i] = s;
            double avg;
            if (centered) {
                double a = gradAvg[i] * alpha + oneMinusAlpha * g;
                gradAvg[i] = a;
                // torch: square_avg.addcmul(grad_avg, grad_avg, value=-1); -1 * a * a == -(a * a) exactly.
                avg = Math.sqrt(s + -a * a);
            } else {
                avg = Math.sqrt(s);
            }
            avg = avg + eps;
            if (momentum > 0) {
                double b = buffer[i] * momentum + g / avg;
                buffer[i] = b;
                params[i] = params[i] + negLr * b;
            } else {
                params[i] = params[i] + negLr * g / avg;
            }
        }
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public String toString() {
        return "RmsProp[alpha=" + alpha + ", eps=" + eps + ", momentum=" + momentum + ", centered="
                + centered + ", weightDecay=" + weightDecay + "]";
    }
}
