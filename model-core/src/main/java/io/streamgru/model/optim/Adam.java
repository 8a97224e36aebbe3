package io.streamgru.model.optim;

/**
 * Adam with L2 weight decay added to the gradient, matching {@code torch.optim.Adam} with
 * {@code amsgrad=False} (PyTorch 1.13, {@code foreach=False}). With {@code t} the step count after
 * incrementing:
 *
 * <pre>
 * g = grad + weightDecay * p                       (only if weightDecay != 0)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p>State layout: {@code [steps, m[0..size), v[0..size)]}.
 */
public final class Adam extends MomentOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;

    /** torch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(int size) {
        this(size, 0.9, 0.999, 1e-8, 0.0);
    }

    public Adam(int size, double beta1, double beta2, double eps, double weightDecay) {
        super(size, 2);
        this.beta1 = Require.beta("beta1", beta1);
        this.beta2 = Require.beta("beta2", beta2);
        this.eps = Require.nonNegative("eps", eps);
        this.weightDecay = Require.nonNegative("weightDecay", weightDecay);
        this.m = state.moment(0);
        this.v = state.moment(1);
    }

    @Override
    public void step(double[] params, double[] grads, double learningRate) {
        state.checkStep(params, grads, learningRate);
        double t = state.increment();
        // Scalars computed exactly as torch's Python code does, so rounding matches.
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        double negStepSize = -(learningRate / biasCorrection1);
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        double biasCorrection2SqrtReciprocal = 1 / biasCorrection2Sqrt;
        double oneMinusBeta1 = 1 - beta1;
        double oneMinusBeta2 = 1 - beta2;
        int n = state.size();
        for (int i = 0; i < n; i++) {
            double g = grads[i];
            if (weightDecay != 0) {
                g = g + weightDecay * params[i];
            }
            // Operand order mirrors torch's kernels: mul_().add_(alpha), addcmul_, addcdiv_.
            double mi = m[i] * beta1 + oneMinusBeta1 * g;
            double vi = v[i] * beta2 + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            // sqrt(v) / sqrt(bias correction 2), the same bits without a second division per parameter.
            double denom = ExactQuotient.divide(Math.sqrt(vi), biasCorrection2Sqrt, biasCorrection2SqrtReciprocal) + eps;
            params[i] = params[i] + negStepSize * mi / denom;
        }
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String toString() {
        return "Adam[beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ", weightDecay=" + weightDecay + "]";
    }
}
