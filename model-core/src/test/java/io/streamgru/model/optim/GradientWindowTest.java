package io.streamgru.model.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A window's sum is, bit for bit, the sum of the chunks committed into it in order, starting from
 * +0.0, however the window gets there (a chunk into an empty window becomes the sum without an
 * addition), and the chunk buffer is zeroed after every commit.
 */
class GradientWindowTest {

    private static final double[] FIRST = {1.5, -0.0, 0.0, Double.MIN_VALUE, -3e-300, 7.25, -2.0};
    private static final double[] SECOND = {-1.5, -0.0, 1e-310, 2.0, 3e-300, 1e-17, 0.0};

    @Test
    void theSumIsTheOrderedSumOfTheChunksFromPositiveZero() {
        GradientWindow window = new GradientWindow(FIRST.length, 100);
        for (int round = 0; round < 3; round++) {
            commit(window, FIRST, 2);
            assertThat(raw(window.sum())).as("one chunk, round %d", round).containsExactly(raw(sum(FIRST)));
            assertThat(window.chunkGradient()).containsOnly(0.0);
            commit(window, SECOND, 1);
            assertThat(raw(window.sum())).as("two chunks, round %d", round).containsExactly(raw(sum(FIRST, SECOND)));
            assertThat(raw(window.chunkGradient())).containsOnly(0L);
            assertThat(window.samples()).isEqualTo(3);
            window.clear();
            assertThat(raw(window.sum())).containsOnly(0L);
        }
    }

    @Test
    void aChunkWithNegativeZeroIntoAnEmptyWindowLeavesPositiveZeroAsAnAdditionWould() {
        GradientWindow window = new GradientWindow(3, 1);
        commit(window, new double[] {-0.0, 2.0, -0.0}, 1);
        assertThat(raw(window.sum())).containsExactly(raw(new double[] {0.0, 2.0, 0.0}));
        assertThat(raw(window.chunkGradient())).containsOnly(0L);
    }

    @Test
    void aRejectedChunkLeavesTheWindowEmptyAndTheBufferZeroed() {
        GradientWindow window = new GradientWindow(3, 1);
        assertThat(commit(window, new double[] {1.0, Double.NaN, 2.0}, 1)).isFalse();
        assertThat(raw(window.sum())).containsOnly(0L);
        assertThat(raw(window.chunkGradient())).containsOnly(0L);
        assertThat(window.samples()).isZero();
        // A batch with no samples still counts as added: the next chunk is added to it, not swapped in.
        window.addBatch(new double[] {1.0, 1.0, 1.0}, 0, 0.0);
        commit(window, new double[] {2.0, -0.0, 0.5}, 1);
        assertThat(window.sum()).containsExactly(3.0, 1.0, 1.5);
    }

    private static boolean commit(GradientWindow window, double[] gradient, int samples) {
        // Written, not added: the buffer's zeros would turn -0.0 into +0.0 before the window sees it.
        System.arraycopy(gradient, 0, window.chunkGradient(), 0, gradient.length);
        return window.commitChunk(0.5, samples);
    }

    /** The reference: every element summed from +0.0 in chunk order. */
    private static double[] sum(double[]... chunks) {
        double[] s = new double[chunks[0].length];
        for (double[] c : chunks) {
            for (int i = 0; i < s.length; i++) {
                s[i] += c[i];
            }
        }
        return s;
    }

    private static long[] raw(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }
}
