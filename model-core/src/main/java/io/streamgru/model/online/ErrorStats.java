package io.streamgru.model.online;

/** Running absolute and squared error of a forecaster (or a baseline). */
public final class ErrorStats {

    private long count;
    private double absSum;
    private double sqSum;

    public void add(double prediction, double actual) {
        double d = prediction - actual;
        count++;
        absSum += Math.abs(d);
        sqSum += d * d;
    }

    public long count() {
        return count;
    }

    /** Mean absolute error; NaN when nothing was scored. */
    public double mae() {
        return count == 0 ? Double.NaN : absSum / count;
    }

    /** Root mean squared error; NaN when nothing was scored. */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sqSum / count);
    }
}
