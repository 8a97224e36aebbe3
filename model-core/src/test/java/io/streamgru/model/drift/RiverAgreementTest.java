package io.streamgru.model.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detection for detection agreement with River (its current river.drift.PageHinkley, the one with
 * {@code mode}, and river.drift.ADWIN with its Cython AdaptiveWindowing), which cannot be installed here.
 * The expected indices come from three sources:
 * <ul>
 *   <li>River's own doctests, which River's CI runs: on {@code random.Random(12345)}'s
 *       {@code choices([0, 1], k=1000) + choices(range(4, 8), k=1000)} River prints "Change detected
 *       at index 1006" for {@code PageHinkley()} and "index 1023" for {@code ADWIN()} (the stream is
 *       embedded below, generated with CPython 3.11's {@code random});</li>
 *   <li>a short sequence worked out by hand (in the comments);</li>
 *   <li>a line-by-line Python transcription of River's two classes (docs/drift.md, "Deriving the
 *       expected values"), checked against the doctests above, for a longer real-valued stream
 *       that exercises ADWIN's buckets, its state, and the direction option.</li>
 * </ul>
 */
class RiverAgreementTest {

    /** River's doctest stream: 1,000 values from {0, 1} then 1,000 from {4, 5, 6, 7}. */
    static final String DOCTEST_STREAM =
            "0010001000101010101010000111011100011101111010110111001100100010111101100101010111001000110000110101" +
            "1001000011001000010010011110001110010110001000011110100001110010001000011000000101010111011011100011" +
            "0110000101001001000000010101111111011001110001001111110011001000010110111111011101000100101011100100" +
            "0010111111111110011100000011011000110010001000010111100010101011100001111001001111100000100111000110" +
            "1110110001011100110101000000011000101111011000011010111011000011110011111100001110000101110111100110" +
            "0110101010101000000011110010100010101000001100000100010000001110010111100000110001010001011000101111" +
            "1001011101000110001011110110011101001111001011111100111000010010100000110110011111001111100100111100" +
            "1111001101110100111010011100111111110101110000000010110100011010011010111110001111111011111000000101" +
            "0011000100000010001010101011111010111110100010011110000101010111000100010010000110110101100001111000" +
            "1010001001100111010110110000110000111011101111011000100001001111000111000001010010101110110111111011" +
            "4674675467764756676466746474645555557444777456664766654454646565467447777577777646545767746475746477" +
            "6645454655577754475474654576744565577646666657775446745656567775444746754774775544755577555774457775" +
            "4475454756465776664577554474745645445745564457655646546545446656756755556775576554644545557757545457" +
            "6755447675774645464466776755655564477444757547467675447764574746475646757446564456444546465446646457" +
            "4575745775554576766645545777655577765676767667575764654457465465477455656476576546574774565565457746" +
            "7676556674576564447455644465455664745544667775664776757556657767557547657656764557557746765745465745" +
            "5476565454477547447657767466756566764754754457746556557776776567664566647547574766466546574564447745" +
            "6444746466645555745747767577557665676564766675646664545656554644566466447565654667576745756744467465" +
            "5776575556465467774777464754666546464564757565546455555775666644756465444674656644764654566757565566" +
            "4455575455564767546776456455745645656464674557457474656557474446554544665474657454765475455747746677";

    static double[] doctestStream() {
        double[] x = new double[DOCTEST_STREAM.length()];
        for (int i = 0; i < x.length; i++) {
            x[i] = DOCTEST_STREAM.charAt(i) - '0';
        }
        return x;
    }

    /** x_i = (7919 i mod 1000) / 1000, +0.3 from i = 3000, -0.25 from i = 6000 (exact in both languages). */
    static double[] steppedStream() {
        double[] x = new double[9000];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 7919) % 1000) / 1000.0 + (i >= 3000 ? 0.3 : 0.0) - (i >= 6000 ? 0.25 : 0.0);
        }
        return x;
    }

    static List<Integer> detections(DriftDetector detector, double[] stream) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            boolean drift = detector.update(stream[i]);
            assertThat(detector.drifted()).isEqualTo(drift);
            if (drift) {
                at.add(i);
            }
        }
        assertThat(detector.detections()).isEqualTo(at.size());
        return at;
    }

    @Test
    void stream_has_the_doctests_shape() {
        double[] x = doctestStream();
        assertThat(x).hasSize(2000);
        for (int i = 0; i < 2000; i++) {
            assertThat(x[i]).isBetween(i < 1000 ? 0.0 : 4.0, i < 1000 ? 1.0 : 7.0);
        }
        assertThat(x[1006]).isEqualTo(5.0); // River: "Change detected at index 1006, input value: 5"
        assertThat(x[1023]).isEqualTo(4.0); // River: "Change detected at index 1023, input value: 4"
    }

    @Test
    void pageHinkley_with_rivers_defaults_detects_where_rivers_doctest_does() {
        PageHinkley both = new PageHinkley(30, 0.005, 50, 1 - 0.0001, DriftDirection.BOTH);
        assertThat(detections(both, doctestStream())).containsExactly(1006);
        assertThat(detections(new PageHinkley(), doctestStream())).containsExactly(1006);
        PageHinkley down = new PageHinkley(30, 0.005, 50, 1 - 0.0001, DriftDirection.DOWN);
        assertThat(detections(down, doctestStream())).isEmpty();
    }

    @Test
    void adwin_with_rivers_defaults_detects_where_rivers_doctest_does() {
        assertThat(detections(new Adwin(0.002, DriftDirection.BOTH), doctestStream())).containsExactly(1023);
        assertThat(detections(new Adwin(), doctestStream())).containsExactly(1023);
        assertThat(detections(new Adwin(0.002, DriftDirection.DOWN), doctestStream())).isEmpty();
    }

    /**
     * By hand, minInstances 3, delta 0.5, threshold 2, alpha 1, on 0 6 0 4 4 4 4 4 4 0 0
     * (i = index, n = values since the last restart, S+ and m+ = its running minimum, S- and M- = its running maximum):
     * <pre>
     * i n  x  mean dev   S+    m+    S+-m+   S-    M-   M--S-
     * 0 1  0  0    0    -0.5  -0.5   0       0.5   0.5  0
     * 1 2  6  3    3     2.0  -0.5   2.5     4.0   4.0  0      2.5 &gt; 2 but n &lt; 3: no drift
     * 2 3  0  2   -2    -0.5  -0.5   0       2.5   4.0  1.5
     * 3 4  4  2.5  1.5   0.5  -0.5   1.0     4.5   4.5  0
     * 4 5  4  2.8  1.2   1.2  -0.5   1.7     6.2   6.2  0
     * 5 6  4  3    1     1.7  -0.5   2.2     7.7   7.7  0      UP: drift (2.2 &gt; 2); restart
     * 6 1  4  4    0    -0.5  -0.5   0       0.5   0.5  0      (after the restart)
     * 7 2  4  4    0    -1.0  -1.0   0       1.0   1.0  0
     * 8 3  4  4    0    -1.5  -1.5   0       1.5   1.5  0
     * 9 4  0  3   -3    -5.0  -5.0   0      -1.0   1.5  2.5    DOWN: drift (2.5 &gt; 2)
     * </pre>
     * So UP fires at 5 only, BOTH at 5 and 9. DOWN alone does not restart at 5: the mean of all
     * values goes on, 22/7 at i = 6, 26/8 at 7, 30/9 at 8 (devs 6/7, 3/4, 2/3), S- = M- rises to
     * 9.057, 10.307, 11.474; at 9 the mean is 30/10 = 3, dev = -3, S- = 8.974 and M- - S- = 2.5 &gt; 2:
     * drift at 9.
     */
    @Test
    void pageHinkley_agrees_with_a_sequence_worked_out_by_hand() {
        double[] x = {0, 6, 0, 4, 4, 4, 4, 4, 4, 0, 0};
        assertThat(detections(new PageHinkley(3, 0.5, 2, 1.0, DriftDirection.UP), x)).containsExactly(5);
        assertThat(detections(new PageHinkley(3, 0.5, 2, 1.0, DriftDirection.BOTH), x)).containsExactly(5, 9);
        assertThat(detections(new PageHinkley(3, 0.5, 2, 1.0, DriftDirection.DOWN), x)).containsExactly(9);

        PageHinkley ph = new PageHinkley(3, 0.5, 2, 1.0, DriftDirection.BOTH);
        for (int i = 0; i <= 4; i++) {
            ph.update(x[i]);
        }
        assertThat(ph.mean()).isCloseTo(2.8, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ph.increaseStatistic()).isCloseTo(1.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ph.count()).isEqualTo(5);
    }

    @Test
    void pageHinkley_agrees_with_the_transcription_on_a_real_valued_stream() {
        double[] x = steppedStream();
        assertThat(detections(new PageHinkley(30, 0.005, 20, 1 - 0.0001, DriftDirection.UP), x)).containsExactly(3065);
        assertThat(detections(new PageHinkley(30, 0.005, 20, 1 - 0.0001, DriftDirection.DOWN), x)).containsExactly(6122);
        assertThat(detections(new PageHinkley(30, 0.005, 20, 1 - 0.0001, DriftDirection.BOTH), x)).containsExactly(3065, 6074);
    }

    @Test
    void adwin_agrees_with_the_transcription_on_a_real_valued_stream() {
        double[] x = steppedStream();
        assertThat(detections(new Adwin(0.002, DriftDirection.BOTH), x)).containsExactly(3071, 6079);
        assertThat(detections(new Adwin(0.002, 1, 5, 5, 10, DriftDirection.BOTH), x)).containsExactly(3053, 6061);
        // Directions (StreamGRU's option, not River's): an unreported change shrinks the window without a restart.
        assertThat(detections(new Adwin(0.002, DriftDirection.UP), x)).containsExactly(3071);
        assertThat(detections(new Adwin(0.002, DriftDirection.DOWN), x)).containsExactly(6079);
        assertThat(detections(new Adwin(0.002, 1, 5, 5, 10, DriftDirection.UP), x)).containsExactly(3053);
        assertThat(detections(new Adwin(0.002, 1, 5, 5, 10, DriftDirection.DOWN), x)).containsExactly(6071);
    }

    @Test
    void adwin_window_statistics_agree_bit_for_bit() {
        Adwin clock1 = new Adwin(0.002, 1, 5, 5, 10, DriftDirection.BOTH);
        detections(clock1, steppedStream());
        assertThat(clock1.width()).isEqualTo(2938);
        assertThat(clock1.total()).isEqualTo(1615.5709999999997);
        assertThat(clock1.variance()).isEqualTo(244.78657215827107);
        assertThat(rowCounts(clock1)).containsExactly(4, 5, 5, 5, 5, 5, 5, 4, 5, 1);

        Adwin defaults = new Adwin(0.002, DriftDirection.BOTH);
        double[] x = doctestStream();
        for (int i = 0; i < 1000; i++) {
            defaults.update(x[i]);
        }
        assertThat(defaults.width()).isEqualTo(1000);
        assertThat(defaults.total()).isEqualTo(497.0);
        assertThat(defaults.variance()).isEqualTo(249.99099999999987);
        assertThat(rowCounts(defaults)).containsExactly(4, 4, 5, 5, 4, 5, 5, 3);
    }

    /** Buckets per row, row 0 (single values) first, read from the exported state. */
    static int[] rowCounts(Adwin adwin) {
        double[] s = adwin.exportState();
        int rows = (int) s[9];
        int[] counts = new int[rows];
        int p = 10;
        for (int r = 0; r < rows; r++) {
            counts[r] = (int) s[p];
            p += 1 + 2 * counts[r];
        }
        return counts;
    }
}
