package io.streamgru.app.topology;

/**
 * The absolute errors of the model and of persistence over the last {@code capacity} scored
 * forecasts, and their means. Thread-safe: every learner task of an instance adds to one window,
 * so the means are the instance's, as a dashboard wants them.
 */
final class RollingErrors {

    private final double[] model;
    private final double[] persistence;
    private int size;
    private int next;
    private double modelSum;
    private double persistenceSum;
    /** Adds since the sums were last recomputed: running sums drift by rounding, so they are rebuilt now and then. */
    private int sinceRebuild;

    RollingErrors(int capacity) {
        this.model = new double[capacity];
        this.persistence = new double[capacity];
    }

    synchronized void add(double modelError, double persistenceError) {
        if (size == model.length) {
            modelSum -= model[next];
            persistenceSum -= persistence[next];
        } else {
            size++;
        }
        model[next] = modelError;
        persistence[next] = persistenceError;
        modelSum += modelError;
        persistenceSum += persistenceError;
        next = (next + 1) % model.length;
        if (++sinceRebuild == 100 * model.length) {
            sinceRebuild = 0;
            modelSum = 0;
            persistenceSum = 0;
            for (int i = 0; i < size; i++) {
                modelSum += model[i];
                persistenceSum += persistence[i];
            }
        }
    }

    synchronized double modelMean() {
        return size == 0 ? Double.NaN : modelSum / size;
    }

    synchronized double persistenceMean() {
        return size == 0 ? Double.NaN : persistenceSum / size;
    }

    synchronized int size() {
        return size;
    }
}
