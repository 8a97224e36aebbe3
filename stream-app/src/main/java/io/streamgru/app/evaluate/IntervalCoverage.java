package io.streamgru.app.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the model's prediction intervals did over an evaluation: the share of scored forecasts whose
 * interval held the actual, over the run and over its last 10 % of rows, and the mean width
 * (upper − lower) over the last 10 %. Only forecasts that carried an interval count (a key's
 * forecasts before its first resolved error have none).
 */
public final class IntervalCoverage {

    private final double level;
    private long scored;
    private long covered;
    private long scoredLast10;
    private long coveredLast10;
    private double widthSumLast10;

    IntervalCoverage(double level) {
        this.level = level;
    }

    /** A scored forecast with its interval's half-width (NaN: it had none, not counted). */
    void add(double forecast, double halfWidth, double actual, boolean last10) {
        if (Double.isNaN(halfWidth)) {
            return;
        }
        boolean hit = Math.abs(actual - forecast) <= halfWidth;
        scored++;
        covered += hit ? 1 : 0;
        if (last10) {
            scoredLast10++;
            coveredLast10 += hit ? 1 : 0;
            widthSumLast10 += 2 * halfWidth;
        }
    }

    public double level() {
        return level;
    }

    /** Share of the scored forecasts with an interval that it covered (NaN when none). */
    public double coverage() {
        return scored == 0 ? Double.NaN : covered / (double) scored;
    }

    public double coverageLast10() {
        return scoredLast10 == 0 ? Double.NaN : coveredLast10 / (double) scoredLast10;
    }

    public double meanWidthLast10() {
        return scoredLast10 == 0 ? Double.NaN : widthSumLast10 / scoredLast10;
    }

    public long scored() {
        return scored;
    }

    public long scoredLast10() {
        return scoredLast10;
    }

    /** The {@code interval} object of {@code evaluate --json}. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level);
        m.put("coverage", finite(coverage()));
        m.put("coverage_last10", finite(coverageLast10()));
        m.put("mean_width_last10", finite(meanWidthLast10()));
        m.put("scored", scored);
        m.put("scored_last10", scoredLast10);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
