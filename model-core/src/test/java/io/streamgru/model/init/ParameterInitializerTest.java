package io.streamgru.model.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.gru.TensorView;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParameterInitializerTest {

    private static final ParameterLayout LINEAR = new ParameterLayout(GruConfig.linear(6, 64, 2, 2));
    // headHidden 4 << H 64: a head.2 drawn with the wrong fan-in would stay in a visibly smaller range.
    private static final ParameterLayout MLP = new ParameterLayout(GruConfig.mlp(6, 64, 1, 16, 4));

    @Test
    void pytorchDefaultDrawsEveryGruTensorFromPlusMinusOneOverSqrtH() {
        double[] p = ParameterInitializer.PYTORCH_DEFAULT.initialize(LINEAR, 1L);
        double bound = 1.0 / Math.sqrt(64);
        double sumSquares = 0;
        int n = 0;
        for (TensorView t : LINEAR.tensors()) {
            if (t.name().startsWith("gru.")) {
                assertFillsRange(p, t.offset(), t.size(), bound, t.name());
                for (int i = 0; i < t.size(); i++) {
                    sumSquares += p[t.offset() + i] * p[t.offset() + i];
                }
                n += t.size();
            }
        }
        // U(-b, b) has variance b²/3; tens of thousands of draws pin it to a few percent.
        assertThat(sumSquares / n).isCloseTo(bound * bound / 3, within(0.03 * bound * bound / 3));
    }

    @Test
    void pytorchDefaultDrawsLinearLayersFromPlusMinusOneOverSqrtFanIn() {
        double[] p = ParameterInitializer.PYTORCH_DEFAULT.initialize(MLP, 2L);
        TensorView w0 = MLP.tensor("head.0.weight");
        TensorView w2 = MLP.tensor("head.2.weight");
        assertFillsRange(p, w0.offset(), w0.size(), 1 / Math.sqrt(64), w0.name());
        assertInRange(p, MLP.tensor("head.0.bias"), 1 / Math.sqrt(64));
        assertFillsRange(p, w2.offset(), w2.size(), 1 / Math.sqrt(4), w2.name(), 0.6);
        assertInRange(p, MLP.tensor("head.2.bias"), 1 / Math.sqrt(4));
        assertThat(p[MLP.tensor("head.2.bias").offset()]).isNotZero();
    }

    @Test
    void xavierUsesEachGatesOwnFansAndZeroBiases() {
        double[] p = new double[LINEAR.size()];
        Arrays.fill(p, 7.0); // stale values must not survive
        ParameterInitializer.XAVIER.initialize(LINEAR, p, 3L);

        TensorView ih0 = LINEAR.tensor("gru.weight_ih_l0");
        double gateBound = Math.sqrt(6.0 / (6 + 64));
        double stackedBound = Math.sqrt(6.0 / (6 + 3 * 64));
        for (int gate = 0; gate < 3; gate++) {
            int block = ih0.offset() + gate * 64 * 6;
            assertFillsRange(p, block, 64 * 6, gateBound, "weight_ih_l0 gate " + gate);
            assertThat(maxAbs(p, block, 64 * 6)).isGreaterThan(stackedBound);
        }
        assertFillsRange(p, LINEAR.weightHh(1), 3 * 64 * 64, Math.sqrt(6.0 / 128), "weight_hh_l1");
        assertFillsRange(p, LINEAR.headWeight(), 2 * 64, Math.sqrt(6.0 / 66), "head.weight", 0.8);
        assertBiasesAreZero(LINEAR, p);
    }

    @Test
    void orthogonalGivesEachRecurrentGateAnOrthogonalBlock() {
        ParameterLayout layout = new ParameterLayout(GruConfig.mlp(5, 48, 2, 1, 8));
        double[] p = ParameterInitializer.ORTHOGONAL.initialize(layout, 4L);
        int h = 48;
        for (int l = 0; l < 2; l++) {
            for (int gate = 0; gate < 3; gate++) {
                int q = layout.weightHh(l) + gate * h * h;
                double worst = 0; // largest |(QᵀQ − I)ij| or |(QQᵀ − I)ij|
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < h; j++) {
                        double colDot = 0;
                        double rowDot = 0;
                        for (int k = 0; k < h; k++) {
                            colDot += p[q + k * h + i] * p[q + k * h + j];
                            rowDot += p[q + i * h + k] * p[q + j * h + k];
                        }
                        double identity = i == j ? 1.0 : 0.0;
                        worst = Math.max(worst, Math.max(Math.abs(colDot - identity), Math.abs(rowDot - identity)));
                    }
                }
                assertThat(worst).as("layer %d gate %d: max |QᵀQ − I|, |QQᵀ − I|", l, gate).isLessThan(1e-12);
            }
            // Three different draws, not one matrix copied three times.
            int hh = layout.weightHh(l);
            assertThat(Arrays.copyOfRange(p, hh, hh + h * h)).isNotEqualTo(Arrays.copyOfRange(p, hh + h * h, hh + 2 * h * h));
        }
        assertFillsRange(p, layout.weightIh(0), 48 * 5, Math.sqrt(6.0 / 53), "weight_ih_l0 gate 0");
        assertFillsRange(p, layout.head2Weight(), 8, Math.sqrt(6.0 / 9), "head.2.weight", 0.3);
        assertBiasesAreZero(layout, p);
    }

    @Test
    void orthogonalBlocksAreSignCorrectedSoNoEntryHasAFixedSign() {
        // Without the sign fix, Householder QR makes Q[0][0] = a00 / R00 always the same sign.
        ParameterLayout layout = new ParameterLayout(GruConfig.linear(1, 3, 1, 1));
        int positive = 0;
        int seeds = 40;
        for (long seed = 0; seed < seeds; seed++) {
            double[] p = ParameterInitializer.ORTHOGONAL.initialize(layout, seed);
            if (p[layout.weightHh(0)] > 0) {
                positive++;
            }
        }
        assertThat(positive).isBetween(8, 32);
    }

    @ParameterizedTest
    @EnumSource(ParameterInitializer.class)
    void theSameSeedGivesBitIdenticalParametersAndAnotherSeedDifferentOnes(ParameterInitializer scheme) {
        double[] a = scheme.initialize(MLP, 42L);
        double[] b = new double[MLP.size()];
        scheme.initialize(MLP, b, 42L);
        double[] c = scheme.initialize(MLP, 43L);

        assertThat(Arrays.equals(a, b)).isTrue();
        for (TensorView t : MLP.tensors()) {
            if (t.name().endsWith("weight") || scheme == ParameterInitializer.PYTORCH_DEFAULT) {
                int same = 0;
                for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                    same += a[i] == c[i] ? 1 : 0;
                }
                assertThat(same).as(t.name()).isZero();
            }
        }
    }

    @Test
    void aParameterArrayOfTheWrongLengthIsRejected() {
        assertThatThrownBy(() -> ParameterInitializer.XAVIER.initialize(LINEAR, new double[3], 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 entries").hasMessageContaining(String.valueOf(LINEAR.size()));
    }

    private static void assertInRange(double[] p, TensorView t, double bound) {
        for (int i = 0; i < t.size(); i++) {
            assertThat(Math.abs(p[t.offset() + i])).as(t.name()).isLessThanOrEqualTo(bound);
        }
    }

    private static void assertFillsRange(double[] p, int offset, int n, double bound, String what) {
        assertFillsRange(p, offset, n, bound, what, 0.95);
    }

    /** All values within ±bound, and the extremes reach {@code reach·bound} on both sides. */
    private static void assertFillsRange(double[] p, int offset, int n, double bound, String what, double reach) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + n; i++) {
            min = Math.min(min, p[i]);
            max = Math.max(max, p[i]);
        }
        assertThat(min).as(what + " min").isGreaterThanOrEqualTo(-bound).isLessThan(-reach * bound);
        assertThat(max).as(what + " max").isLessThanOrEqualTo(bound).isGreaterThan(reach * bound);
    }

    private static double maxAbs(double[] p, int offset, int n) {
        double m = 0;
        for (int i = offset; i < offset + n; i++) {
            m = Math.max(m, Math.abs(p[i]));
        }
        return m;
    }

    private static void assertBiasesAreZero(ParameterLayout layout, double[] p) {
        for (TensorView t : layout.tensors()) {
            if (t.name().contains("bias")) {
                assertThat(Arrays.copyOfRange(p, t.offset(), t.offset() + t.size())).as(t.name()).containsOnly(0.0);
            }
        }
    }
}
