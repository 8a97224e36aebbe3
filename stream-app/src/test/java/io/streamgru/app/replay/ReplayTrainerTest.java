package io.streamgru.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.ModelInitialization;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replay follows the live learner's time policy for readings that carry their own event time, and
 * does model-core's arithmetic.
 */
class ReplayTrainerTest {

    private static final LearnerConfig CONFIG = LearnerConfig.builder().hidden(4).chunk(4).window(8).build();

    private static ReplayTrainer trainer() {
        TrainingStep fresh = TrainingStep.fresh(CONFIG, 16);
        return new ReplayTrainer(CONFIG, 16, 8, ModelInitialization.initialParameters(CONFIG), new double[0],
                fresh.featureStats().exportState(), fresh.targetStats().exportState());
    }

    @Test
    void aDuplicateOrLateReadingOfAKeyIsNotLearnedFrom() {
        ReplayTrainer t = trainer();
        double[] none = new double[0];
        assertThat(t.observe("a", 0, 1_000, none, 1.0)).isTrue();
        assertThat(t.observe("a", 0, 2_000, none, 2.0)).isTrue();
        assertThat(t.observe("a", 0, 2_000, none, 2.0)).as("duplicate").isFalse();
        assertThat(t.observe("a", 0, 1_500, none, 1.5)).as("late").isFalse();
        assertThat(t.observe("b", 0, 1_500, none, 7.0)).as("another key's own time").isTrue();
        assertThat(t.observe("a", 0, 3_000, none, 3.0)).isTrue();
        assertThat(t.records()).isEqualTo(4);
    }

    @Test
    void withoutEventTimesEveryReadingIsLearnedFrom() {
        ReplayTrainer t = trainer();
        for (int i = 0; i < 5; i++) {
            t.observe("a", 0, new double[0], i);
        }
        assertThat(t.records()).isEqualTo(5);
    }

    @Test
    void steppingOncePerLearnerWindowItTrainsTheBitsOfModelCoresLearner() {
        LearnerConfig config = LearnerConfig.builder().features(2).hidden(4).chunk(4).window(8).build();
        TrainingStep fresh = TrainingStep.fresh(config, 8);
        ReplayTrainer replay = new ReplayTrainer(config, 8, 4, ModelInitialization.initialParameters(config),
                new double[0], fresh.featureStats().exportState(), fresh.targetStats().exportState());
        OnlineForecaster core = new OnlineForecaster(config);
        List<SeriesState> series = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            series.add(core.newSeries());
        }
        for (int i = 0; i < 600; i++) {
            int k = i % 3;
            double[] x = {Math.sin(0.05 * i + k), Math.cos(0.03 * i)};
            double y = (k + 1) * Math.sin(0.05 * (i + 3) + k);
            replay.observe("key-" + k, 0, x, y);
            core.observe(series.get(k), x, y);
        }
        assertThat(replay.stepsApplied()).isEqualTo(core.training().optimizer().steps()).isGreaterThan(10);
        assertThat(replay.samplesTrained()).isGreaterThan(0);
        assertThat(replay.parameters()).isEqualTo(core.model().parameters());
    }
}
