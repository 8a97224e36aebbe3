package io.streamgru.model.loss;

/**
 * Huber loss over the outputs (PyTorch {@code HuberLoss}): quadratic within {@code delta},
 * linear beyond it, so outliers pull on the model with a bounded force.
 */
public final class HuberLoss implements Loss {

    private final double delta;

    public HuberLoss(double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("Huber delta must be > 0, got " + delta);
        }
        this.delta = delta;
    }

    public double delta() {
        return delta;
    }

    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    public double evaluate(double[] out, int oOff, int outputs, double[] target, int tOff, double[] grad, int gOff) {
        double sum = 0;
        for (int i = 0; i < outputs; i++) {
            double d = out[oOff + i] - target[tOff + i];
            double a = Math.abs(d);
            if (a < delta) {
                sum += 0.5 * d * d;
                grad[gOff + i] = d / outputs;
            } else {
                sum += delta * (a - 0.5 * delta);
                grad[gOff + i] = delta * Math.signum(d) / outputs;
            }
        }
        return sum / outputs;
    }
}
