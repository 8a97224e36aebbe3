package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.optim.StepOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The learner trains a chunk on the activations its forecast steps recorded when no optimizer step
 * fell in between, and then learns exactly what it learns when it computes them again: the same
 * forecasts and parameters, bit for bit, whatever the horizon, window, layers, linear path,
 * combination or number of interleaved series.
 */
class ChunkForwardReuseTest {

    /** A learner with its optimizer, as {@link OnlineForecaster} wires them. */
    private static final class Learner {
        final GruModel model;
        final TrainingStep training;
        final SeriesLearner learner;

        Learner(LearnerConfig config) {
            model = new GruModel(new ParameterLayout(config.gruConfig()), ModelInitialization.initialParameters(config));
            training = new TrainingStep(config, config.window(), null, null, null);
            SeriesLearner[] self = new SeriesLearner[1];
            learner = new SeriesLearner(config, model, training.featureStats(), training.targetStats(),
                    training.chunkSink(), () -> {
                        if (training.ready() && training.step(model.parameters()) == StepOutcome.APPLIED) {
                            self[0].parametersChanged();
                        }
                    });
            self[0] = learner;
        }
    }

    static Stream<Arguments> configurations() {
        List<Arguments> cases = new ArrayList<>();
        LearnerConfig.Builder base = LearnerConfig.builder().features(2).hidden(8).chunk(4).seed(5);
        cases.add(Arguments.of("horizon 1, window = chunk", base.horizon(1).window(4).build(), 1, true));
        cases.add(Arguments.of("horizon 0", base.horizon(0).window(4).build(), 1, true));
        cases.add(Arguments.of("window of two chunks", base.horizon(1).window(8).build(), 1, true));
        cases.add(Arguments.of("horizon 6 (three chunks in flight)", base.horizon(6).window(8).build(), 1, false));
        cases.add(Arguments.of("two layers", base.horizon(1).window(4).layers(2).build(), 1, true));
        cases.add(Arguments.of("linear path", base.horizon(1).window(4).layers(1).linearLags(3).build(), 1, true));
        cases.add(Arguments.of("linear path and combination",
                base.horizon(1).window(4).linearLags(3).combine(true).build(), 1, true));
        cases.add(Arguments.of("three interleaved series", base.horizon(1).window(4).linearLags(0).combine(false).build(),
                3, false));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void reusingTheForecastsActivationsLearnsTheSameBitsAsRecomputingThem(String name, LearnerConfig config,
                                                                           int seriesCount, boolean reuses) {
        Learner reusing = new Learner(config);
        Learner recomputing = new Learner(config);
        SeriesState[] a = new SeriesState[seriesCount];
        SeriesState[] b = new SeriesState[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            a[s] = reusing.learner.newSeries();
            b[s] = recomputing.learner.newSeries();
        }
        for (int t = 0; t < 400; t++) {
            int s = t % seriesCount;
            double[] features = {Math.sin(0.1 * t + s), t % 7 == 0 ? Double.NaN : Math.cos(0.37 * t)};
            double target = t % 11 == 5 ? Double.NaN : 3 * Math.sin(0.2 * t + s) + 0.1 * s;
            // Refreshing the snapshot without changing the parameters makes every trace stale: this learner
            // computes each chunk's forward pass again, on the same parameters.
            recomputing.learner.parametersChanged();
            double fa = reusing.learner.observe(a[s], features, target);
            double fb = recomputing.learner.observe(b[s], features, target);
            assertThat(Double.doubleToRawLongBits(fa)).as("forecast %d", t).isEqualTo(Double.doubleToRawLongBits(fb));
        }
        assertThat(recomputing.learner.reusedForwardChunks()).isZero();
        assertThat(reusing.learner.trainedChunks()).isGreaterThan(50 / seriesCount);
        if (reuses) {
            assertThat(reusing.learner.reusedForwardChunks()).isGreaterThan(reusing.learner.trainedChunks() / 3);
        }
        assertThat(reusing.training.accumulator().stepsApplied()).isPositive();
        assertThat(raw(reusing.model.parameters())).containsExactly(raw(recomputing.model.parameters()));
        for (int s = 0; s < seriesCount; s++) {
            assertThat(raw(a[s].live)).containsExactly(raw(b[s].live));
        }
    }

    private static long[] raw(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }
}
