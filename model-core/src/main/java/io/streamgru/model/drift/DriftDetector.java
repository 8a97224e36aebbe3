package io.streamgru.model.drift;

/**
 * A change detector on a stream of numbers, as River's {@code river.drift} detectors: feed it one
 * value at a time; {@link #update} says whether a change of the stream's mean was detected at that
 * value.
 *
 * <p>In StreamGRU the stream is a forecaster's prequential error (every forecast scored when its
 * truth arrives, before the model learns from it), best in the units of the loss:
 * {@link #absoluteError}. The detectors are River's: {@link PageHinkley} and {@link Adwin}.
 *
 * <p>After a detection a detector starts afresh with the next value (River: {@code if
 * self.drift_detected: self._reset()} at the top of {@code update}); {@link #detections()} keeps
 * counting across these restarts. Non-finite values are ignored: {@link #update} returns false and
 * the statistics do not move, so one NaN cannot disable a detector for good.
 *
 * <p>Implementations allocate nothing in {@link #update} and are not thread-safe. Their whole
 * mutable state goes through {@link #exportState()} / {@link #importState} (e.g. into a Kafka
 * Streams state store), and an imported detector continues bit for bit as the exported one would
 * have; parameters (thresholds, ...) are configuration, not state.
 */
public interface DriftDetector {

    /**
     * Adds one value.
     *
     * @return whether a drift is detected at this value (then {@link #drifted()} is true until the
     *     next call)
     */
    boolean update(double value);

    /** Whether the last {@link #update} detected a drift. */
    boolean drifted();

    /** Drifts detected since construction, {@link #reset} or the imported state. */
    long detections();

    /** Forgets everything, including {@link #detections()}: as freshly constructed. */
    void reset();

    /** The complete mutable state as numbers, for {@link #importState} of an identically configured detector. */
    default double[] exportState() {
        double[] state = new double[stateLength()];
        exportState(state);
        return state;
    }

    /**
     * Replaces the state with one from {@link #exportState()} of a detector of the same kind and
     * configuration; validates before changing anything.
     *
     * @throws IllegalArgumentException if the state is not one of this kind of detector
     */
    default void importState(double[] state) {
        importState(state, state.length);
    }

    /** How many numbers {@link #exportState()} would return now. */
    int stateLength();

    /** The most numbers a state of this detector, as configured, can have: the size of a reusable buffer. */
    int maxStateLength();

    /**
     * As {@link #exportState()}, into the first {@link #stateLength()} numbers of {@code state}
     * (at least that long; e.g. {@link #maxStateLength()}), without allocating.
     *
     * @return the numbers written
     */
    int exportState(double[] state);

    /** As {@link #importState(double[])}, from the first {@code length} numbers of {@code state}; allocates nothing. */
    void importState(double[] state, int length);

    /** The largest value {@link #absoluteError} returns: an error of 10 standard deviations or more counts as 10. */
    double MAX_ERROR = 10.0;

    /**
     * The value StreamGRU monitors: the absolute error of a forecast in units of {@code scale},
     * {@code min(|forecast - truth| / scale, MAX_ERROR)}; NaN (ignored by the detectors) when
     * anything is missing or {@code scale} is not positive.
     *
     * <p>With {@code scale} the standard deviation the learner z-scores its training target with (the
     * target normaliser's CHANGE dimension for residual forecasts, LEVEL otherwise) this is the
     * error in the loss's units, so one set of detector parameters fits every series whatever its
     * units. The absolute rather than the squared error: its tail is light enough for Page-Hinkley's
     * defaults to keep false alarms rare. The cap at {@link #MAX_ERROR}: a forecaster's first errors,
     * scaled by statistics of a handful of values, can be thousands of units, and one of them would
     * lift Page-Hinkley's running mean, and ADWIN's window variance, so high that neither detects
     * anything for a long time; a cap also keeps one wild record from firing Page-Hinkley on its own
     * (it adds at most 10 to the statistic; the default threshold is 50). Measured in docs/drift.md.
     */
    static double absoluteError(double forecast, double truth, double scale) {
        if (!(scale > 0) || scale == Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double e = Math.abs(forecast - truth) / scale; // NaN when either is NaN
        return e > MAX_ERROR ? MAX_ERROR : e;
    }
}
