package io.streamgru.model.optim;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, matching {@code torch.optim.SGD} (PyTorch 1.13, {@code foreach=False}):
 *
 * <pre>
 * g = grad + weightDecay * p                        (only if weightDecay != 0)
 * b = g on the first step, else momentum * b + (1 - dampening) * g   (only if momentum != 0)
 * g = nesterov ? g + momentum * b : b               (only if momentum != 0)
 * p = p - lr * g
 * </pre>
 *
 * <p>State layout: {@code [steps]}, followed by the momentum buffer if {@code momentum != 0}.
 */
public final class Sgd extends MomentOptimizer {

    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;
    private final double[] buffer;

    /** Plain SGD, torch's defaults: no momentum, no dampening, no Nesterov, no weight decay. */
    public Sgd(int size) {
        this(size, 0.0, 0.0, false, 0.0);
    }

    public Sgd(int size, double momentum, double dampening, boolean nesterov, double weightDecay) {
        super(size, momentum != 0 ? 1 : 0);
        Require.nonNegative("momentum", momentum);
        Require.nonNegative("dampening", dampening);
        Require.nonNegative("weightDecay", weightDecay);
        // Same constraint as torch: Nesterov needs a momentum buffer that starts undampened.
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.buffer = momentum != 0 ? state.moment(0) : null;
    }

    @Override
    public void step(double[] params, double[] grads, double learningRate) {
        state.checkStep(params, grads, learningRate);
        // torch creates the buffer as a copy of the first gradient instead of decaying zeros.
        boolean firstStep = state.steps() == 0;
        state.increment();
        int n = state.size();
        double keep = 1 - dampening;
        double negLr = -learningRate;
        for (int i = 0; i < n; i++) {
            double g = grads[i];
            if (weightDecay != 0) {
                g = g + weightDecay * params[i];
            }
            if (momentum != 0) {
                double b = firstStep ? g : buffer[i] * momentum + keep * g;
                buffer[i] = b;
                g = nesterov ? g + momentum * b : b;
            }
            params[i] = params[i] + negLr * g;
        }
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String toString() {
        return "Sgd[momentum=" + momentum + ", dampening=" + dampening + ", nesterov=" + nesterov
                + ", weightDecay=" + weightDecay + "]";
    }
}
