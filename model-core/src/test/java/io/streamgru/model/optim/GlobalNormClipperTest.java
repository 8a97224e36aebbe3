package io.streamgru.model.optim;

import static io.streamgru.model.optim.TorchFixtures.assertAgrees;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GlobalNormClipperTest {

    static Stream<TorchFixtures.Case> clipCases() {
        return TorchFixtures.cases("clip_");
    }

    /** The fixture's per-tensor gradients, laid end to end as they are in a flat parameter array. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("clipCases")
    void clipsTheConcatenatedTensorsLikeClipGradNorm(TorchFixtures.Case fixture) {
        double[] flat = fixture.all("tensor").stream()
                .flatMapToDouble(line -> DoubleStream.of(line.numbers())).toArray();
        GlobalNormClipper clipper = new GlobalNormClipper(fixture.first("max_norm").number(0));

        double norm = clipper.clip(flat, flat.length);

        assertAgrees(norm, fixture.first("norm").number(0), "norm before clipping");
        assertAgrees(flat, fixture.first("clipped").numbers(), "clipped gradient");
    }

    @Test
    void sumsSquaresInEightInterleavedPartialSumsThenTheRestInOrder() {
        // The order is part of the results (the norm decides the clipping): pinned here, for every tail length.
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int size = 0; size <= 40; size++) {
            double[] v = random.doubles(size + 3, -2, 2).toArray();
            double[] partial = new double[8];
            int whole = size / 8 * 8;
            for (int i = 0; i < whole; i++) {
                partial[i % 8] += v[i] * v[i];
            }
            double expected = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
                    + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
            for (int i = whole; i < size; i++) {
                expected += v[i] * v[i];
            }
            assertThat(Double.doubleToRawLongBits(GlobalNormClipper.sumOfSquares(v, size)))
                    .as("size %d", size).isEqualTo(Double.doubleToRawLongBits(expected));
            assertThat(GlobalNormClipper.norm(v, size)).isEqualTo(Math.sqrt(expected));
        }
    }

    @Test
    void scalesInPlaceAndSumsTheSquaresOfTheProductsInTheSameOrder() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int size = 0; size <= 40; size++) {
            double[] v = random.doubles(size + 3, -2, 2).toArray();
            double[] expectedValues = v.clone();
            for (int i = 0; i < size; i++) {
                expectedValues[i] *= 1.0 / 32;
            }

            double sum = GlobalNormClipper.scaleAndSumOfSquares(v, size, 1.0 / 32);

            assertThat(v).as("size %d", size).containsExactly(expectedValues);
            assertThat(Double.doubleToRawLongBits(sum)).as("size %d", size)
                    .isEqualTo(Double.doubleToRawLongBits(GlobalNormClipper.sumOfSquares(expectedValues, size)));
        }
    }

    @Test
    void scalesToJustUnderMaxNormAndReportsTheNormBeforeClipping() {
        double[] grads = {3, 4, 99};

        double norm = new GlobalNormClipper(1.0).clip(grads, 2);

        assertThat(norm).isEqualTo(5.0);
        double coef = 1.0 / (5.0 + 1e-6);
        assertThat(grads).containsExactly(3 * coef, 4 * coef, 99);
        assertThat(GlobalNormClipper.norm(grads, 2)).isLessThan(1.0);
    }

    @Test
    void leavesAGradientWithinTheBoundUntouched() {
        double[] grads = {0.3, -0.4};

        double norm = new GlobalNormClipper(1.0).clip(grads, 2);

        assertThat(norm).isEqualTo(0.5);
        assertThat(grads).containsExactly(0.3, -0.4);
    }

    @Test
    void requiresAPositiveMaxNorm() {
        assertThatThrownBy(() -> new GlobalNormClipper(0)).hasMessageContaining("maxNorm");
        assertThatThrownBy(() -> new GlobalNormClipper(Double.NaN)).hasMessageContaining("maxNorm");
    }
}
