package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A learner task's gradient batch: the configured size while versions come often, half the task's
 * samples per version when the optimizer gathers many per step, never more than 32 times the
 * configured size.
 */
class GradientBatchTargetTest {

    @Test
    void beforeAnyWholeIntervalBetweenVersionsTheConfiguredSizeHolds() {
        GradientBatchTarget target = new GradientBatchTarget(64);
        assertThat(target.samples()).isEqualTo(64);
        target.versionSwitched(5_000); // the first switch only starts the count: the task may have started mid-interval
        assertThat(target.samples()).isEqualTo(64);
    }

    @Test
    void whenVersionsComeOftenTheConfiguredSizeHolds() {
        GradientBatchTarget target = new GradientBatchTarget(64);
        for (long learned = 0; learned <= 10 * 80; learned += 80) { // 80 samples per version: half is 40 < 64
            target.versionSwitched(learned);
        }
        assertThat(target.samples()).isEqualTo(64);
    }

    @Test
    void whenTheTaskLearnsManySamplesPerVersionItSendsHalfOfThemPerBatch() {
        GradientBatchTarget target = new GradientBatchTarget(64);
        target.versionSwitched(0);
        target.versionSwitched(512);
        assertThat(target.samples()).isEqualTo(256);
    }

    @Test
    void followsTheRecentIntervalsAsTheOptimizerStepChanges() {
        GradientBatchTarget target = new GradientBatchTarget(16);
        long learned = 0;
        target.versionSwitched(learned);
        for (int i = 0; i < 40; i++) {
            learned += 1_000;
            target.versionSwitched(learned);
        }
        assertThat(target.samples()).isEqualTo(500);
        for (int i = 0; i < 40; i++) { // the optimizer's step shrinks back: versions every 100 samples
            learned += 100;
            target.versionSwitched(learned);
        }
        assertThat(target.samples()).isBetween(50, 52);
    }

    @Test
    void neverMoreThanThirtyTwoTimesTheConfiguredSize() {
        GradientBatchTarget target = new GradientBatchTarget(64);
        target.versionSwitched(0);
        target.versionSwitched(1_000_000); // e.g. versions stopped coming for a while
        assertThat(target.samples()).isEqualTo(64 * GradientBatchTarget.MAX_MULTIPLE);
    }

    @Test
    void theConfiguredSizeMustBePositive() {
        assertThatThrownBy(() -> new GradientBatchTarget(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
