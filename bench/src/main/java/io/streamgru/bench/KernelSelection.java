package io.streamgru.bench;

import io.streamgru.model.gru.Kernels;

/**
 * A benchmark's {@code kernels} parameter ({@code vector} or {@code scalar}), so one jar and one JMH
 * run can compare model-core's two kernel sets: each parameter value runs in its own fork, and the
 * choice is made when model-core's {@link Kernels} initialises, so {@link #apply} must run before
 * the benchmark touches model-core.
 */
final class KernelSelection {

    private KernelSelection() {
    }

    /** Selects the kernels and fails if the JVM runs others (e.g. {@code vector} without the module). */
    static void apply(String kernels) {
        if ("scalar".equals(kernels)) {
            System.setProperty(Kernels.PROPERTY, "scalar");
        }
        String running = Kernels.description();
        if (!running.equals(kernels) && !running.startsWith(kernels + " ")) {
            throw new IllegalStateException("asked for the " + kernels + " kernels, the JVM runs " + running);
        }
    }
}
