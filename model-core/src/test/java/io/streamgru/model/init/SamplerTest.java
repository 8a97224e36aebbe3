package io.streamgru.model.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void gaussianDrawsHaveMeanZeroVarianceOneAndNormalTails() {
        Sampler sampler = new Sampler(9L);
        int n = 200_000;
        double sum = 0;
        double sumSquares = 0;
        int beyondTwoSigma = 0;
        for (int i = 0; i < n; i++) {
            double g = sampler.gaussian();
            sum += g;
            sumSquares += g * g;
            beyondTwoSigma += Math.abs(g) > 2 ? 1 : 0;
        }
        assertThat(sum / n).isCloseTo(0.0, within(0.01));
        assertThat(sumSquares / n).isCloseTo(1.0, within(0.01));
        assertThat((double) beyondTwoSigma / n).isCloseTo(0.0455, within(0.003)); // P(|Z| > 2)
    }

    @Test
    void uniformDrawsStayInTheHalfOpenRangeAndHaveVarianceBoundSquaredOverThree() {
        double[] x = new double[100_002];
        new Sampler(10L).uniform(x, 1, 100_000, 0.5);
        double sumSquares = 0;
        for (int i = 1; i <= 100_000; i++) {
            assertThat(x[i]).isBetween(-0.5, 0.5);
            sumSquares += x[i] * x[i];
        }
        assertThat(x[0]).isZero();
        assertThat(x[100_001]).isZero();
        assertThat(sumSquares / 100_000).isCloseTo(0.25 / 3, within(0.002));
    }
}
