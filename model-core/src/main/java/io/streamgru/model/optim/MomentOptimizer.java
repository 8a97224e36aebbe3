package io.streamgru.model.optim;

/**
 * What every optimizer here shares: its step count and moment buffers live in one
 * {@link MomentState}, which also gives the snapshot format; subclasses only implement
 * {@link #step} and {@link #name}.
 */
abstract class MomentOptimizer implements Optimizer {

    final MomentState state;

    MomentOptimizer(int size, int moments) {
        this.state = new MomentState(size, moments);
    }

    @Override
    public final void reset() {
        state.reset();
    }

    @Override
    public final void resetMoments() {
        state.resetMoments();
    }

    @Override
    public final long steps() {
        return state.steps();
    }

    @Override
    public final int size() {
        return state.size();
    }

    @Override
    public final double[] exportState() {
        return state.export();
    }

    @Override
    public final void importState(double[] snapshot) {
        state.importFrom(snapshot, name());
    }
}
