package io.streamgru.model.loss;

/** Mean absolute error over the outputs (PyTorch {@code L1Loss}; gradient sign(d), 0 at d = 0). */
public final class L1Loss implements Loss {

    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    public double evaluate(double[] out, int oOff, int outputs, double[] target, int tOff, double[] grad, int gOff) {
        double sum = 0;
        for (int i = 0; i < outputs; i++) {
            double d = out[oOff + i] - target[tOff + i];
            sum += Math.abs(d);
            grad[gOff + i] = Math.signum(d) / outputs;
        }
        return sum / outputs;
    }
}
