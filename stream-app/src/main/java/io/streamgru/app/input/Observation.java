package io.streamgru.app.input;

/**
 * One decoded input record: which series, when, its features (NaN = a gap, imputed by the
 * learner) and its target (NaN = not known). Reused across records by a decoder's caller.
 */
public final class Observation {

    String seriesId;
    long eventTime;
    final double[] features;
    double target;

    public Observation(int featureCount) {
        this.features = new double[featureCount];
    }

    public String seriesId() {
        return seriesId;
    }

    public long eventTime() {
        return eventTime;
    }

    /** The live feature array (NaN = gap). */
    public double[] features() {
        return features;
    }

    public double target() {
        return target;
    }
}
