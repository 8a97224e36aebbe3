package io.streamgru.model.gru;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels (products, gates) give the scalar kernels' results bit for bit, on shapes at and off the
 * blocks' multiples (8 doubles per vector, 4 × 8 rows, 8 × 8 columns, 4 gradient rows), with zero
 * δ (skipped terms), negative zeros and non-finite values; and this build's tests run with them.
 */
class ProductKernelsAgreementTest {

    private static final int[] SIZES = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 63, 64, 65, 72, 96, 192};

    private final ProductKernels scalar = ScalarProductKernels.INSTANCE;
    private final ProductKernels vector = new VectorProductKernels();

    @Test
    void theTestsRunWithTheVectorKernels() {
        // surefire passes --add-modules jdk.incubator.vector: every other test exercises the vector path.
        assertThat(Kernels.PRODUCTS).isInstanceOf(VectorProductKernels.class);
        assertThat(Kernels.description()).startsWith("vector (jdk.incubator.vector");
    }

    @Test
    void forwardProductsFromColumnsAreBitIdentical() {
        Random random = new Random(11);
        for (int rows : SIZES) {
            for (int cols : SIZES) {
                double[] w = vectorWithSpecials(random, 5 + rows * cols);
                double[][] columns = new double[cols][rows];
                DenseKernels.copyColumns(w, 5, rows, cols, columns);
                double[] packed = new double[vector.packedLength(rows, cols)];
                vector.pack(w, 5, rows, cols, packed);
                double[] x = vectorWithSpecials(random, 3 + cols);
                double[] b = vectorWithSpecials(random, rows);
                double[] expected = new double[rows];
                double[] actual = new double[rows];
                scalar.gemvColumns(columns, null, rows, cols, x, 3, b, expected, new double[rows], new double[rows],
                        new double[rows]);
                vector.gemvColumns(columns, packed, rows, cols, x, 3, b, actual, new double[rows], new double[rows],
                        new double[rows]);
                assertThat(bits(actual)).as("gemvColumns %dx%d", rows, cols).containsExactly(bits(expected));
            }
        }
    }

    @Test
    void transposedProductsFromRowsAreBitIdentical() {
        Random random = new Random(12);
        for (int rows : SIZES) {
            for (int cols : SIZES) {
                double[][] w = matrix(random, rows, cols);
                double[] dy = vectorWithSpecials(random, rows);
                dy[random.nextInt(rows)] = 0.0;
                double[] expected = vectorWithSpecials(random, cols);
                double[] actual = expected.clone();
                scalar.gemvTransposedAddRows(w, rows, cols, dy, expected);
                vector.gemvTransposedAddRows(w, rows, cols, dy, actual);
                assertThat(bits(actual)).as("gemvTransposedAddRows %dx%d", rows, cols).containsExactly(bits(expected));
            }
        }
    }

    @Test
    void gradientRowSumsAreBitIdentical() {
        Random random = new Random(13);
        for (int rows : SIZES) {
            for (int n : SIZES) {
                for (int steps : new int[] {1, 3, 4, 9, 32}) {
                    double[][] delta = deltas(random, steps, rows);
                    double[][] vs = matrix(random, steps, n);
                    for (double[] first : new double[][] {null, vectorWithSpecials(random, n)}) {
                        // The matrix in place in a longer flat array, as a tensor in the flat gradient.
                        int offset = 5;
                        double[] expected = matrix(random, 1, offset + rows * n + 3)[0];
                        double[] actual = expected.clone();
                        double[] before = expected.clone();
                        scalar.accumulateRows(delta, steps, vs, first, expected, offset, rows, n, vectorWithSpecials(random, n + 2));
                        vector.accumulateRows(delta, steps, vs, first, actual, offset, rows, n, new double[n]);
                        assertThat(bits(actual)).as("accumulateRows %dx%d, %d steps, first %s",
                                rows, n, steps, first != null).containsExactly(bits(expected));
                        for (int i : new int[] {0, offset - 1, offset + rows * n, expected.length - 1}) {
                            assertThat(expected[i]).as("outside the matrix, index %d", i).isEqualTo(before[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientColumnSumsAreBitIdentical() {
        Random random = new Random(14);
        for (int in : new int[] {1, 3, 4, 5, 8, 9, 17}) {
            for (int rows : SIZES) {
                for (int steps : new int[] {1, 3, 4, 5, 9, 32}) {
                    double[][] delta = deltas(random, steps, rows);
                    double[][] xs = matrix(random, steps, in);
                    double[][] expected = matrix(random, in, rows);
                    double[][] actual = copy(expected);
                    scalar.accumulateColumns(delta, steps, xs, expected, in, rows);
                    vector.accumulateColumns(delta, steps, xs, actual, in, rows);
                    for (int j = 0; j < in; j++) {
                        assertThat(bits(actual[j])).as("accumulateColumns %d x %d, %d steps, column %d",
                                in, rows, steps, j).containsExactly(bits(expected[j]));
                    }
                }
            }
        }
    }

    @Test
    void gatesAreBitIdentical() {
        Random random = new Random(15);
        for (int h : SIZES) {
            for (double scale : new double[] {0.01, 1, 10, 400}) {
                double[] gi = new double[3 * h];
                double[] gh = new double[3 * h];
                for (int i = 0; i < 3 * h; i++) {
                    gi[i] = random.nextGaussian() * scale;
                    gh[i] = random.nextGaussian() * scale;
                }
                gi[random.nextInt(3 * h)] = -0.0;
                gh[random.nextInt(3 * h)] = Double.POSITIVE_INFINITY;
                double[] hPrev = vectorWithSpecials(random, h);
                double[][] expected = new double[5][h];
                double[][] actual = new double[5][h];
                scalar.gates(gi, gh, hPrev, h, expected[0], expected[1], expected[2], expected[3], expected[4],
                        new double[2 * h], new double[2 * h]);
                vector.gates(gi, gh, hPrev, h, actual[0], actual[1], actual[2], actual[3], actual[4],
                        new double[2 * h], new double[2 * h]);
                for (int o = 0; o < 5; o++) {
                    assertThat(bits(actual[o])).as("gates h=%d scale %s, output %d", h, scale, o)
                            .containsExactly(bits(expected[o]));
                }
            }
        }
    }

    @Test
    void powersOfTwoAreBitIdentical() {
        for (int n : SIZES) {
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = -1022 + (i * 2045L / Math.max(1, n - 1));
            }
            expected[0] = -1022;
            expected[n - 1] = 1023;
            double[] actual = expected.clone();
            scalar.powersOfTwo(expected, n);
            vector.powersOfTwo(actual, n);
            assertThat(bits(actual)).as("powersOfTwo %d", n).containsExactly(bits(expected));
        }
        double[] all = new double[2046];
        for (int i = 0; i < all.length; i++) {
            all[i] = i - 1022;
        }
        double[] expected = all.clone();
        scalar.powersOfTwo(expected, all.length);
        vector.powersOfTwo(all, all.length);
        assertThat(bits(all)).containsExactly(bits(expected));
        assertThat(expected[1022]).isEqualTo(1.0);
        assertThat(expected[0]).isEqualTo(Double.MIN_NORMAL);
    }

    /** δ per step with some exact zeros (single elements and, for one step, all of them). */
    private static double[][] deltas(Random random, int steps, int n) {
        double[][] d = matrix(random, steps, n);
        for (double[] row : d) {
            if (random.nextInt(3) == 0) {
                row[random.nextInt(n)] = 0.0;
            }
        }
        if (steps > 2) {
            Arrays.fill(d[random.nextInt(steps)], 0.0);
        }
        return d;
    }

    private static double[][] matrix(Random random, int rows, int cols) {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = vectorWithSpecials(random, cols);
        }
        return m;
    }

    /** Random values of mixed magnitudes (so rounding depends on the order), now and then -0.0 or ±∞. */
    private static double[] vectorWithSpecials(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
            if (random.nextInt(17) == 0) {
                v[i] = -0.0;
            } else if (random.nextInt(400) == 0) {
                v[i] = random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            }
        }
        return v;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }
}
