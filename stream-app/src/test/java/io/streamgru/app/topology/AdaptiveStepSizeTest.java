package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveStepSizeTest {

    /** The lag a batch sees when the natural lag (at the base step) is {@code natural} and the step is scaled. */
    private static long lagAt(AdaptiveStepSize s, double natural) {
        return Math.round(natural / s.multiplier());
    }

    private static void run(AdaptiveStepSize s, double natural, int steps) {
        for (int i = 0; i < steps; i++) {
            for (int b = 0; b < 4; b++) {
                s.batchApplied(lagAt(s, natural));
            }
            s.stepTaken();
        }
    }

    @Test
    void keepsTheBaseStepWhileBatchesAreFresh() {
        AdaptiveStepSize s = new AdaptiveStepSize(64, 4);
        run(s, 3, 100);
        assertThat(s.samplesPerStep()).isEqualTo(64);
    }

    @Test
    void growsTheStepUntilTheLagIsBackNearTheTarget() {
        AdaptiveStepSize s = new AdaptiveStepSize(64, 4);
        run(s, 30, 100);
        // 8 would do; the smoothed lag trails the change, so one doubling too many is allowed.
        assertThat(s.multiplier()).isIn(8, 16);
        assertThat(lagAt(s, 30)).isLessThanOrEqualTo(4);
    }

    @Test
    void shrinksBackWhenTheLearnersSlowDown() {
        AdaptiveStepSize s = new AdaptiveStepSize(64, 4);
        run(s, 30, 100);
        run(s, 1, 200);
        assertThat(s.samplesPerStep()).isEqualTo(64);
    }

    @Test
    void neverGrowsBeyondTheCapAndNotAtAllWithoutATarget() {
        AdaptiveStepSize capped = new AdaptiveStepSize(16, 4);
        run(capped, 10_000, 500);
        assertThat(capped.multiplier()).isEqualTo(AdaptiveStepSize.MAX_MULTIPLIER);
        AdaptiveStepSize fixed = new AdaptiveStepSize(16, 0);
        run(fixed, 10_000, 500);
        assertThat(fixed.samplesPerStep()).isEqualTo(16);
    }
}
