/**
 * Training-step machinery over one flat {@code double[]} of parameters: optimizers that reproduce
 * {@code torch.optim} (SGD, Adam, AdamW, RMSprop) in float64, learning-rate schedules and their
 * command-line syntax, global-norm gradient clipping, and the accumulator that turns a stream of
 * per-chunk gradient sums into one clipped mean-gradient step per window.
 *
 * <p>Agreement with PyTorch 1.13 (CPU, float64, {@code foreach=False}) is to rounding: the same
 * formulas in the same order, but torch's vectorised kernels may fuse a multiply-add or sum in a
 * different order, so individual values can differ in the last bit. The fixtures under
 * {@code src/test/resources/fixtures} hold the reference numbers. Nothing here allocates on the
 * per-step path, and nothing is thread-safe.
 */
package io.streamgru.model.optim;
