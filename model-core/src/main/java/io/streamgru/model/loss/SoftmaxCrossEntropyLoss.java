package io.streamgru.model.loss;

/**
 * Softmax cross-entropy for classification over {@code outputs} classes (PyTorch
 * {@code CrossEntropyLoss} on logits). The target is the class index, stored as a double.
 */
public final class SoftmaxCrossEntropyLoss implements Loss {

    @Override
    public int targetWidth(int outputs) {
        return 1;
    }

    @Override
    public double evaluate(double[] out, int oOff, int outputs, double[] target, int tOff, double[] grad, int gOff) {
        double t = target[tOff];
        int cls = (int) t;
        if (cls != t || cls < 0 || cls >= outputs) {
            throw new IllegalArgumentException("class index must be an integer in [0, " + outputs + "), got " + t);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < outputs; i++) {
            max = Math.max(max, out[oOff + i]);
        }
        double sum = 0;
        for (int i = 0; i < outputs; i++) {
            double e = Math.exp(out[oOff + i] - max);
            grad[gOff + i] = e;
            sum += e;
        }
        for (int i = 0; i < outputs; i++) {
            grad[gOff + i] /= sum;
        }
        grad[gOff + cls] -= 1.0;
        return Math.log(sum) + max - out[oOff + cls];
    }
}
