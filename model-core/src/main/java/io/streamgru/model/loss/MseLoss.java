package io.streamgru.model.loss;

/** Mean squared error over the outputs (PyTorch {@code MSELoss}). */
public final class MseLoss implements Loss {

    @Override
    public int targetWidth(int outputs) {
        return outputs;
    }

    @Override
    public double evaluate(double[] out, int oOff, int outputs, double[] target, int tOff, double[] grad, int gOff) {
        double sum = 0;
        double scale = 2.0 / outputs;
        for (int i = 0; i < outputs; i++) {
            double d = out[oOff + i] - target[tOff + i];
            sum += d * d;
            grad[gOff + i] = scale * d;
        }
        return sum / outputs;
    }
}
