package io.streamgru.model.loss;

/**
 * A per-sample loss on one step's outputs. Regression losses average over the outputs, as
 * PyTorch's losses do with {@code reduction='mean'} on one sample.
 */
public interface Loss {

    /** Numbers per target: {@code outputs} for regression, 1 (the class index) for classification. */
    int targetWidth(int outputs);

    /**
     * Returns the loss of {@code out[oOff .. oOff+outputs)} against the target at {@code tOff}
     * and writes ∂loss/∂out into {@code grad[gOff ..]} (overwriting).
     */
    double evaluate(double[] out, int oOff, int outputs, double[] target, int tOff, double[] grad, int gOff);

    /** The loss for a CLI/config name: {@code mse}, {@code l1}, {@code huber}, {@code cross-entropy}. */
    static Loss named(String name, double huberDelta) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "mse" -> new MseLoss();
            case "l1", "mae" -> new L1Loss();
            case "huber" -> new HuberLoss(huberDelta);
            case "cross-entropy", "crossentropy", "ce" -> new SoftmaxCrossEntropyLoss();
            default -> throw new IllegalArgumentException(
                    "unknown loss '" + name + "': expected mse, l1, huber or cross-entropy");
        };
    }
}
