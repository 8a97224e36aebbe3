package io.streamgru.app.evaluate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One forecaster's errors over a set of scored rows: MAE, RMSE, MAPE and sMAPE (both in percent),
 * and, when known, its MAE relative to persistence's over the same rows. MAPE leaves out rows whose
 * |actual| is below an epsilon and counts them ({@code mapeSkipped}); a sMAPE term whose actual and
 * forecast are both 0 is 0. Metrics of no rows are NaN (null in JSON, "—" in the report).
 */
public record ErrorMetrics(long scored, double mae, double rmse, double mape, long mapeSkipped, double smape,
                           double relativeMae) {

    /** Report numbers are rounded once to this many significant digits; every file shows these values. */
    public static final int SIGNIFICANT_DIGITS = 6;

    /** Adds up errors row by row. */
    public static final class Accumulator {
        private final double mapeEpsilon;
        private long count;
        private double absSum;
        private double sqSum;
        private double apeSum;
        private long apeCount;
        private double sapeSum;

        public Accumulator(double mapeEpsilon) {
            this.mapeEpsilon = mapeEpsilon;
        }

        public void add(double forecast, double actual) {
            double error = Math.abs(forecast - actual);
            count++;
            absSum += error;
            sqSum += error * error;
            if (Math.abs(actual) >= mapeEpsilon) {
                apeSum += error / Math.abs(actual);
                apeCount++;
            }
            double scale = Math.abs(actual) + Math.abs(forecast);
            if (scale > 0) {
                sapeSum += 2 * error / scale;
            }
        }

        public long count() {
            return count;
        }

        public double mae() {
            return count == 0 ? Double.NaN : absSum / count;
        }

        /** The metrics, unrounded; {@code baselineMae} (persistence's, same rows) gives the relative MAE. */
        public ErrorMetrics metrics(double baselineMae) {
            double mae = mae();
            return new ErrorMetrics(count, mae, count == 0 ? Double.NaN : Math.sqrt(sqSum / count),
                    apeCount == 0 ? Double.NaN : 100 * apeSum / apeCount, count - apeCount,
                    count == 0 ? Double.NaN : 100 * sapeSum / count, mae / baselineMae);
        }
    }

    /** The same metrics rounded to {@link #SIGNIFICANT_DIGITS}: what the report shows, everywhere. */
    public ErrorMetrics rounded() {
        return new ErrorMetrics(scored, round(mae), round(rmse), round(mape), mapeSkipped, round(smape),
                round(relativeMae));
    }

    /** Rounds to {@link #SIGNIFICANT_DIGITS} significant digits; not-finite values become NaN. */
    public static double round(double v) {
        if (!Double.isFinite(v)) {
            return Double.NaN;
        }
        return new BigDecimal(v).round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN)).doubleValue();
    }

    /**
     * A reported number as text: plain decimals between 1e-4 and 1e7, scientific otherwise, "—" for
     * NaN. Parses back ({@link Double#parseDouble}) to exactly {@code v}.
     */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        double a = Math.abs(v);
        return a >= 1e-4 && a < 1e7 ? d.toPlainString() : d.toString();
    }

    /** JSON fields (snake_case); NaN becomes null. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scored", scored);
        m.put("mae", json(mae));
        m.put("rmse", json(rmse));
        m.put("mape", json(mape));
        m.put("mape_skipped", mapeSkipped);
        m.put("smape", json(smape));
        m.put("relative_mae", json(relativeMae));
        return m;
    }

    private static Double json(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
