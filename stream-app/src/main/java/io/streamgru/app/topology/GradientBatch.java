package io.streamgru.app.topology;

/**
 * What one learner task sends the optimizer: the summed gradient of a window of samples computed
 * on one model version, and the normaliser statistics it saw since its previous batch.
 *
 * <p>The only gradient batch type: it travels between StreamGRU's own tasks on the gradients topic
 * in {@link GradientBatchCodec}'s internal binary format (versioned by its own header), so it has no
 * Avro schema.
 *
 * @param basedOnVersion    the model version the gradients were computed with
 * @param configHash        the learner configuration the numbers belong to
 * @param source            which task sent it (for metrics and logs)
 * @param samples           labelled steps in the window
 * @param lossSum           summed loss of those samples
 * @param gradientSum       summed gradient (flat parameter layout)
 * @param featureStatsDelta feature statistics seen since the previous batch
 * @param targetStatsDelta  target statistics seen since the previous batch
 * @param createdAt         epoch milliseconds
 * @param driftDetections   drifts the task's series detected since its previous batch (for the optimizer's drift policy)
 */
public record GradientBatch(long basedOnVersion, String configHash, String source, int samples, double lossSum,
                            double[] gradientSum, double[] featureStatsDelta, double[] targetStatsDelta,
                            long createdAt, int driftDetections) {
}
