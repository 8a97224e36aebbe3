package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The forecaster's contract, record by record. */
class OnlineForecasterTest {

    private static LearnerConfig.Builder small() {
        return LearnerConfig.builder().hidden(6).chunk(4).window(4).seed(3);
    }

    @Test
    void forecastIsMadeBeforeTheRecordsOwnTargetIsSeen() {
        // Horizon 0: the forecast for a record must not depend on that record's target.
        OnlineForecaster a = new OnlineForecaster(small().features(1).horizon(0).build());
        OnlineForecaster b = new OnlineForecaster(small().features(1).horizon(0).build());
        SeriesState sa = a.newSeries();
        SeriesState sb = b.newSeries();
        for (int t = 0; t < 20; t++) {
            double x = Math.sin(t);
            a.observe(sa, new double[] {x}, x * 2);
            b.observe(sb, new double[] {x}, x * 2);
        }
        double fa = a.observe(sa, new double[] {0.5}, 100.0);
        double fb = b.observe(sb, new double[] {0.5}, -100.0);
        assertThat(fa).isEqualTo(fb);
    }

    @Test
    void trainsOncePerChunkAndStepsOncePerWindow() {
        OnlineForecaster f = new OnlineForecaster(small().horizon(1).chunk(4).window(8).build());
        SeriesState s = f.newSeries();
        for (int t = 0; t < 41; t++) {
            f.observe(s, new double[0], Math.sin(0.3 * t));
        }
        // Step t's truth arrives at t+1: steps 0..39 are resolved, i.e. 10 chunks of 4 samples,
        // and a window of 8 samples is full after every second chunk.
        assertThat(f.trainedChunks()).isEqualTo(10);
        assertThat(f.accumulator().totalSamples()).isEqualTo(40);
        assertThat(f.accumulator().stepsApplied()).isEqualTo(5);
    }

    @Test
    void missingTargetsNeitherBreakNorTeach() {
        OnlineForecaster f = new OnlineForecaster(small().horizon(2).build());
        SeriesState s = f.newSeries();
        for (int t = 0; t < 1000; t++) {
            double target = t % 3 == 0 || (t > 200 && t < 700) ? Double.NaN : Math.sin(0.1 * t);
            double forecast = f.observe(s, new double[0], target);
            assertThat(forecast).isFinite();
        }
        assertThat(s.steps()).isEqualTo(1000);
        assertThat(f.accumulator().rejectedChunks()).isZero();
    }

    @Test
    void missingFeaturesAreImputedAndCounted() {
        OnlineForecaster f = new OnlineForecaster(small().features(2).horizon(0).build());
        SeriesState s = f.newSeries();
        f.observe(s, new double[] {1.0, Double.NaN}, 0.5);
        f.observe(s, new double[] {Double.POSITIVE_INFINITY, 2.0}, 0.5);
        double forecast = f.observe(s, new double[] {Double.NaN, Double.NaN}, 0.5);
        assertThat(forecast).isFinite();
        assertThat(f.imputedValues()).isEqualTo(4);
    }

    @Test
    void inferenceOnlyNeverChangesTheModelOrItsStatistics() {
        OnlineForecaster f = new OnlineForecaster(small().horizon(1).learn(false).build());
        double[] before = f.model().parameters().clone();
        double[] statsBefore = f.targetNormalizer().exportState();
        SeriesState s = f.newSeries();
        for (int t = 0; t < 200; t++) {
            f.observe(s, new double[0], Math.sin(0.2 * t));
        }
        assertThat(f.model().parameters()).isEqualTo(before);
        assertThat(f.targetNormalizer().exportState()).isEqualTo(statsBefore);
    }

    @Test
    void sameSeedAndDataGiveBitIdenticalParameters() {
        double[][] finals = new double[2][];
        for (int run = 0; run < 2; run++) {
            OnlineForecaster f = new OnlineForecaster(small().features(1).horizon(0).build());
            SeriesState s = f.newSeries();
            for (int t = 0; t < 500; t++) {
                f.observe(s, new double[] {Math.cos(0.05 * t)}, Math.sin(0.05 * t));
            }
            finals[run] = f.model().parameters();
        }
        assertThat(finals[0]).isEqualTo(finals[1]);
    }

    @Test
    void univariateWithoutAutoregressiveInputIsRejected() {
        assertThatThrownBy(() -> LearnerConfig.builder().features(0).autoregressive(false).build())
                .hasMessageContaining("needs the autoregressive input");
    }
}
