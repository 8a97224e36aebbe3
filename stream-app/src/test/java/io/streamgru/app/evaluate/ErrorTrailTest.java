package io.streamgru.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rolling-MAE plot's data: bounded memory, and every point it draws is an exact rolling mean. */
class ErrorTrailTest {

    /** Feeds {@code rows} scored rows (time = row number) and checks every point against prefix sums of all rows. */
    private static void check(int rows, long requested, long expectedWindow) {
        Random random = new Random(rows);
        ErrorTrail trail = new ErrorTrail(2);
        double[] prefix = new double[rows + 1];
        double[] forecasts = new double[2];
        for (int i = 0; i < rows; i++) {
            double actual = random.nextGaussian();
            forecasts[0] = actual + random.nextGaussian();
            forecasts[1] = actual + 3 * random.nextGaussian();
            prefix[i + 1] = prefix[i] + Math.abs(forecasts[0] - actual);
            trail.add(i + 1, forecasts, actual);
        }
        long window = trail.window(requested);
        assertThat(window).isEqualTo(expectedWindow);
        double[][] xy = trail.rolling(0, requested, 1000);
        assertThat(xy[0]).hasSize(1000);
        for (int p = 0; p < xy[0].length; p++) {
            int end = (int) xy[0][p]; // rows included: the first `end`
            assertThat(xy[1][p]).as("point %d at row %d", p, end).isEqualTo((prefix[end] - prefix[(int) (end - window)]) / window);
        }
        assertThat(xy[0][xy[0].length - 1]).isGreaterThan(rows - rows / 1000.0); // the plot reaches the end
        assertThat(xy[0][0]).isEqualTo((double) window); // and starts where a full window does
    }

    @Test
    void upToItsCapacityTheWindowIsExactlyTheOneAskedFor() {
        check(50_000, 1_000, 1_000);
    }

    @Test
    void beyondItsCapacityTheWindowIsRoundedToTheStrideAndEveryPointIsStillExact() {
        // 300,000 rows: thinned three times, stride 8; 6,001 requested rows become 6,000.
        check(300_000, 6_001, 6_000);
    }

    @Test
    void fewerRowsThanTheWindowDrawNothing() {
        ErrorTrail trail = new ErrorTrail(1);
        trail.add(1, new double[] {1}, 0);
        assertThat(trail.rolling(0, 2, 1000)[0]).isEmpty();
    }
}
