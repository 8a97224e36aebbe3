package io.streamgru.model.optim;

/** What {@link GradientAccumulator#step} did with the window. */
public enum StepOutcome {
    /** The optimizer updated the parameters with the window's mean gradient. */
    APPLIED,
    /** The mean gradient (or its norm) was not finite: parameters untouched, window discarded. */
    SKIPPED_NON_FINITE,
    /** The window held no samples: nothing happened. */
    EMPTY
}
