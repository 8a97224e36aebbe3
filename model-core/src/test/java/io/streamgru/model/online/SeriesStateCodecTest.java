package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeriesStateCodecTest {

    @ParameterizedTest
    @EnumSource(FeatureScaling.class)
    void aSeriesRestoredFromBytesContinuesExactlyAsTheOriginalWithItsStoredNumbersRoundedToFloat32(
            FeatureScaling scaling) {
        for (boolean normalize : new boolean[] {true, false}) {
            LearnerConfig config = LearnerConfig.builder().features(2).horizon(3).hidden(5).chunk(4).window(4)
                    .featureScaling(scaling).normalize(normalize).build();
            OnlineForecaster a = new OnlineForecaster(config);
            OnlineForecaster b = new OnlineForecaster(config);
            SeriesState original = a.newSeries();
            SeriesState twin = b.newSeries();
            for (int t = 0; t < 37; t++) { // mid-chunk, with pending steps and missing values
                double[] f = {Math.sin(t), t % 5 == 0 ? Double.NaN : Math.cos(t)};
                double y = t % 7 == 0 ? Double.NaN : Math.sin(0.2 * t);
                a.observe(original, f, y);
                b.observe(twin, f.clone(), y);
            }
            SeriesStateCodec codec = new SeriesStateCodec(config);
            SeriesState restored = codec.decode(codec.encode(twin));
            // What storage does: the hidden states always, the pending inputs and targets when normalised.
            roundToFloat32(original.live);
            roundToFloat32(original.chunkStart);
            roundToFloat32(original.expertWeights);
            if (normalize) {
                roundToFloat32(original.inputs);
                roundToFloat32(original.targets);
            }

            for (int t = 37; t < 80; t++) {
                double[] f = {Math.sin(t), Math.cos(t)};
                double y = Math.sin(0.2 * t);
                assertThat(b.observe(restored, f.clone(), y)).as("step %d, normalize %s", t, normalize)
                        .isEqualTo(a.observe(original, f, y));
                assertThat(restored.intervalHalfWidth()).as("interval at step %d", t)
                        .isEqualTo(original.intervalHalfWidth());
                assertThat(restored.resolvedHalfWidth()).isEqualTo(original.resolvedHalfWidth());
            }
            assertThat(b.model().parameters()).isEqualTo(a.model().parameters());
        }
    }

    @Test
    void theExactCodecsStatesContinueBitForBitAndEitherCodecReadsBoth() {
        LearnerConfig config = LearnerConfig.builder().features(2).horizon(1).hidden(6).chunk(4).window(4).build();
        OnlineForecaster a = new OnlineForecaster(config);
        OnlineForecaster b = new OnlineForecaster(config);
        SeriesState original = a.newSeries();
        SeriesState twin = b.newSeries();
        for (int t = 0; t < 30; t++) {
            double[] f = {Math.sin(t), Math.cos(t)};
            a.observe(original, f, Math.sin(0.2 * t));
            b.observe(twin, f.clone(), Math.sin(0.2 * t));
        }
        SeriesStateCodec exact = SeriesStateCodec.exact(config, SeriesLearner.newTargetNormalizer());
        SeriesStateCodec compact = new SeriesStateCodec(config);
        byte[] bytes = exact.encode(twin);
        assertThat(compact.encode(compact.decode(bytes))).isEqualTo(compact.encode(twin));
        assertThat(bytes.length).isGreaterThan(compact.encode(twin).length);
        SeriesState restored = exact.decode(bytes);
        for (int t = 30; t < 60; t++) {
            double[] f = {Math.sin(t), Math.cos(t)};
            assertThat(b.observe(restored, f.clone(), Math.sin(0.2 * t))).isEqualTo(a.observe(original, f, Math.sin(0.2 * t)));
        }
        assertThat(b.model().parameters()).isEqualTo(a.model().parameters());
    }

    private static void roundToFloat32(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) values[i];
        }
    }

    @Test
    void storingEveryRecordMovesTheForecastsByLessThanAMillionthOfTheTargetsSpread() {
        LearnerConfig config = LearnerConfig.builder().features(2).hidden(16).build();
        OnlineForecaster inMemory = new OnlineForecaster(config);
        OnlineForecaster stored = new OnlineForecaster(config);
        SeriesStateCodec codec = new SeriesStateCodec(config);
        SeriesState kept = inMemory.newSeries();
        byte[] bytes = codec.encode(stored.newSeries());
        double maxDifference = 0;
        for (int t = 0; t < 3000; t++) { // 187 chunks trained on states that went through the store
            double[] f = {Math.sin(0.1 * t), Math.cos(0.03 * t)};
            double y = 20 + 3 * Math.sin(0.05 * t) + 0.5 * f[0];
            SeriesState s = codec.decode(bytes);
            double expected = inMemory.observe(kept, f.clone(), y);
            double actual = stored.observe(s, f, y);
            bytes = codec.encode(s);
            maxDifference = Math.max(maxDifference, Math.abs(actual - expected));
            // rounding happens once: what was read re-encodes to the same bytes
            assertThat(codec.encode(codec.decode(bytes))).isEqualTo(bytes);
        }
        assertThat(maxDifference).as("largest forecast difference (measured 1.3e-8), target spread ~2").isGreaterThan(0).isLessThan(2e-6);
    }

    @ParameterizedTest(name = "format {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {4, 5, 6, 7})
    void aStateOfAnEarlierReleaseDecodesExactly(int format) throws java.io.IOException {
        String name = "format-" + format + "-hidden5-chunk4-perkey";
        byte[] old = resource(name + ".state");
        assertThat(old[0]).isEqualTo((byte) format);
        SeriesState s = new SeriesStateCodec(FORMAT4_CONFIG).decode(old);
        java.util.Map<String, String> expected = expected(name);
        assertThat(s.steps()).isEqualTo(Long.parseLong(expected.get("steps")));
        assertThat(s.hiddenState()).containsExactly(doubles(expected.get("hidden")));
        for (int d = 0; d < SeriesLearner.TARGET_STATS_DIMS; d++) {
            assertThat(s.targetStats().mean(d)).isEqualTo(doubles(expected.get("targetMeans"))[d]);
        }
        assertThat(s.targetStats().count(0)).isEqualTo(Long.parseLong(expected.get("targetCount")));
        assertThat(s.resolvedForecast()).isEqualTo(Double.parseDouble(expected.get("resolvedForecast")));
        assertThat(s.lastTime()).isEqualTo(Long.MIN_VALUE);
        if (format >= 5) {
            assertThat(s.interval.scale()).as("formats 5 to 7 carry the interval's calibration").isPositive();
        } else {
            assertThat(s.interval.scale()).as("format 4 predates intervals: cold").isZero();
        }
        // Every format before 8 predates the combination of experts: its weights start uniform.
        assertThat(s.expertWeights).containsExactly(0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
        assertThat(s.linearForecasts).isEmpty();
        byte[] now = new SeriesStateCodec(FORMAT4_CONFIG).encode(s);
        assertThat(now[0]).as("written again in this release's format").isEqualTo(CURRENT_FORMAT);
        if (format < 7) {
            assertThat(now.length).as("float32 storage").isLessThan(old.length);
        } else {
            // One byte (the number of experts) and 2 experts x 3 slots of float32 weights.
            assertThat(now.length).isEqualTo(old.length + 1 + 4 * 2 * 3);
        }
    }

    /**
     * A key state written by the release before intervals (format 4: hidden 4, chunk 4, 300 steps of
     * 20 + 3 sin(0.2 t), written by commit 764fbd5's codec) is read on: the series keeps its place and
     * its interval starts cold, then calibrates on the errors that follow; it is written back in this
     * release's format.
     */
    @Test
    void aFormat4StateFromBeforeIntervalsStartsItsIntervalCold() throws Exception {
        LearnerConfig config = LearnerConfig.builder().hidden(4).chunk(4).window(4).build();
        byte[] old;
        try (java.io.InputStream in = getClass().getResourceAsStream("/series-state/format-4-hidden4-chunk4.state")) {
            old = in.readAllBytes();
        }
        assertThat(old[0]).isEqualTo((byte) 4);
        SeriesStateCodec codec = new SeriesStateCodec(config);
        SeriesState s = codec.decode(old);
        assertThat(s.steps()).isEqualTo(300);
        assertThat(s.lastTime()).isEqualTo(Long.MIN_VALUE);
        assertThat(s.targetStats().count(0)).as("the key's own statistics are kept").isEqualTo(300);
        assertThat(s.interval.scale()).as("cold: no error scale yet").isZero();

        OnlineForecaster f = new OnlineForecaster(config);
        f.observe(s, new double[0], 20 + 3 * Math.sin(0.2 * 300));
        assertThat(s.intervalHalfWidth()).as("one resolved error: an interval").isPositive();
        byte[] rewritten = codec.encode(s);
        assertThat(rewritten[0]).isEqualTo(CURRENT_FORMAT);
        assertThat(codec.decode(rewritten).interval.scale()).isEqualTo(s.interval.scale());
    }

    @Test
    void anIntervalStateOfAnotherHorizonStartsCold() {
        LearnerConfig h1 = LearnerConfig.builder().hidden(4).linearLags(0).build();
        SeriesState s = observed(new OnlineForecaster(h1), 100);
        byte[] bytes = new SeriesStateCodec(h1).encode(s);
        // the interval section (a count, then 3 + 1 numbers at horizon 1, before the linear path's count
        // of 4 bytes and the experts' 9: a count byte, 2 float32 weights) as horizon 2 writes it: 3 + 2 numbers
        int end = bytes.length - 9 - 4;
        byte[] padded = new byte[bytes.length + 8];
        System.arraycopy(bytes, 0, padded, 0, end);
        System.arraycopy(bytes, end, padded, end + 8, bytes.length - end);
        java.nio.ByteBuffer.wrap(padded).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(end - 36, 5);
        SeriesState read = new SeriesStateCodec(h1).decode(padded);
        assertThat(read.steps()).isEqualTo(100);
        assertThat(read.interval.scale()).isZero();
        assertThat(s.interval.scale()).isPositive();
    }

    @Test
    void theLinearPathsHistoryTravelsWithTheSeriesMidChunk() {
        LearnerConfig config = LearnerConfig.builder().features(1).horizon(2).hidden(5).chunk(4).window(4)
                .linearLags(5).build();
        OnlineForecaster a = new OnlineForecaster(config);
        OnlineForecaster b = new OnlineForecaster(config);
        SeriesState original = a.newSeries();
        SeriesState twin = b.newSeries();
        for (int t = 0; t < 39; t++) {
            double y = t % 9 == 0 ? Double.NaN : Math.sin(0.2 * t);
            a.observe(original, new double[] {Math.cos(t)}, y);
            b.observe(twin, new double[] {Math.cos(t)}, y);
        }
        SeriesStateCodec codec = new SeriesStateCodec(config);
        SeriesState restored = codec.decode(codec.encode(twin));
        assertThat(restored.recentChanges).isEqualTo(original.recentChanges).isNotEqualTo(
                new double[4]);
        // what storage rounds (class comment of SeriesStateCodec); the linear path's history is exact
        roundToFloat32(original.live);
        roundToFloat32(original.chunkStart);
        roundToFloat32(original.inputs);
        roundToFloat32(original.targets);
        roundToFloat32(original.expertWeights);

        for (int t = 39; t < 90; t++) {
            double y = Math.sin(0.2 * t);
            assertThat(b.observe(restored, new double[] {Math.cos(t)}, y)).as("step %d", t)
                    .isEqualTo(a.observe(original, new double[] {Math.cos(t)}, y));
        }
        assertThat(b.model().parameters()).isEqualTo(a.model().parameters());
    }

    @Test
    void aStateFromBeforeTheLinearPathStartsItsHistoryAtTheMean() throws java.io.IOException {
        LearnerConfig linear = FORMAT4_CONFIG.toBuilder().linearLags(3).build();
        SeriesState migrated = new SeriesStateCodec(linear).decode(resource("format-5-hidden5-chunk4-perkey.state"));
        assertThat(migrated.steps()).isEqualTo(37);
        assertThat(migrated.recentChanges).containsExactly(0.0, 0.0);
        assertThat(migrated.chunkStartChanges).containsExactly(0.0, 0.0);
    }

    /** The format this release writes without a seasonal naive expert (unchanged since format 8). */
    private static final byte CURRENT_FORMAT = 8;
    /** The format this release writes with a seasonal naive expert. */
    private static final byte SEASONAL_FORMAT = 9;

    /**
     * The key state of the release before the seasonal expert (format 8, fixture written at 8b70375)
     * reads as it was and, with no season set, this release writes the same series in the same bytes:
     * the same records give bit for bit the same state, and the decoded one re-encodes unchanged.
     */
    @Test
    void withoutASeasonTheStateOfTheReleaseBeforeIsWrittenByteForByte() throws java.io.IOException {
        byte[] format8 = resource("format-8-hidden5-chunk4-perkey.state");
        java.util.Map<String, String> expected = expected("format-8-hidden5-chunk4-perkey");
        SeriesStateCodec codec = new SeriesStateCodec(FORMAT4_CONFIG);
        SeriesState s = codec.decode(format8);
        assertThat(s.steps()).isEqualTo(Long.parseLong(expected.get("steps")));
        assertThat(s.hiddenState()).containsExactly(doubles(expected.get("hidden")));
        assertThat(s.resolvedForecast()).isEqualTo(Double.parseDouble(expected.get("resolvedForecast")));
        assertThat(s.expertWeights).containsExactly(doubles(expected.get("expertWeights")));
        assertThat(codec.encode(s)).isEqualTo(format8);

        OnlineForecaster forecaster = new OnlineForecaster(FORMAT4_CONFIG);
        SeriesState again = forecaster.newSeries();
        for (int t = 0; t < 37; t++) { // the fixture's records (series-state/README.md)
            double[] x = {Math.sin(t), t % 5 == 0 ? Double.NaN : Math.cos(t)};
            forecaster.observe(again, x, t % 7 == 0 ? Double.NaN : Math.sin(0.2 * t));
        }
        assertThat(codec.encode(again)).isEqualTo(format8);
    }


    @Test
    void aFormat8StateReadWithASeasonStartsItsSeasonalHistoryEmptyAndItsWeightsUniform() throws java.io.IOException {
        SeriesStateCodec codec = new SeriesStateCodec(SEASONAL_CONFIG);
        SeriesState s = codec.decode(resource("format-8-hidden5-chunk4-perkey.state"));
        assertThat(s.steps()).isEqualTo(37);
        assertThat(s.seasonal.ring()).hasSize(5).containsOnly(Double.NaN);
        assertThat(s.seasonalForecasts).hasSize(3).containsOnly(Double.NaN);
        assertThat(s.expertWeights).hasSize(9).containsOnly(1 / 3.0); // another panel: start uniform
        byte[] now = codec.encode(s);
        assertThat(now[0]).isEqualTo(SEASONAL_FORMAT);
        // One more float32 weight per slot, then the season, its 5 targets and 3 pending forecasts.
        assertThat(now.length).isEqualTo(resource("format-8-hidden5-chunk4-perkey.state").length
                + 4 * 3 + 4 + 8 * 5 + 8 * 3);
    }

    @Test
    void theSeasonalHistoryTravelsWithTheSeriesAndTheRestoredSeriesContinuesExactly() {
        for (int horizon : new int[] {0, 3, 7}) { // 7: more than a season ahead
            LearnerConfig config = SEASONAL_CONFIG.toBuilder().horizon(horizon).build();
            OnlineForecaster a = new OnlineForecaster(config);
            OnlineForecaster b = new OnlineForecaster(config);
            SeriesState original = a.newSeries();
            SeriesState twin = b.newSeries();
            for (int t = 0; t < 41; t++) {
                double[] f = {Math.sin(t), Math.cos(t)};
                double y = t % 7 == 0 ? Double.NaN : Math.sin(2 * Math.PI * t / 5) + 0.01 * t;
                a.observe(original, f, y);
                b.observe(twin, f.clone(), y);
            }
            SeriesStateCodec codec = SeriesStateCodec.exact(config, SeriesLearner.newTargetNormalizer());
            byte[] bytes = codec.encode(twin);
            assertThat(bytes[0]).isEqualTo(SEASONAL_FORMAT);
            SeriesState restored = codec.decode(bytes);
            assertThat(restored.seasonal.ring()).containsExactly(original.seasonal.ring());
            assertThat(restored.seasonalForecasts).containsExactly(original.seasonalForecasts);
            assertThat(codec.encode(restored)).isEqualTo(bytes);
            for (int t = 41; t < 90; t++) {
                double[] f = {Math.sin(t), Math.cos(t)};
                double y = Math.sin(2 * Math.PI * t / 5) + 0.01 * t;
                assertThat(b.observe(restored, f.clone(), y)).as("horizon %d step %d", horizon, t)
                        .isEqualTo(a.observe(original, f, y));
                assertThat(restored.dominantExpert()).isEqualTo(original.dominantExpert());
            }
        }
    }

    @Test
    void aSeasonalStateReadWithoutASeasonOrWithAnotherSeasonDropsOrEmptiesItsHistory() {
        OnlineForecaster forecaster = new OnlineForecaster(SEASONAL_CONFIG);
        SeriesState s = forecaster.newSeries();
        for (int t = 0; t < 37; t++) {
            forecaster.observe(s, new double[] {Math.sin(t), Math.cos(t)}, Math.sin(0.2 * t));
        }
        byte[] seasonal = new SeriesStateCodec(SEASONAL_CONFIG).encode(s);

        SeriesStateCodec plain = new SeriesStateCodec(FORMAT4_CONFIG);
        SeriesState without = plain.decode(seasonal);
        assertThat(without.steps()).isEqualTo(37);
        assertThat(without.seasonal).isNull();
        assertThat(without.expertWeights).containsOnly(0.5); // written for another panel
        assertThat(plain.encode(without)[0]).isEqualTo(CURRENT_FORMAT);

        LearnerConfig weekly = SEASONAL_CONFIG.toBuilder().season(7).build();
        SeriesState other = new SeriesStateCodec(weekly).decode(seasonal);
        assertThat(other.seasonal.ring()).hasSize(7).containsOnly(Double.NaN);
        assertThat(other.seasonalForecasts).containsOnly(Double.NaN);
        assertThat(other.expertWeights).as("the same panel of experts: kept")
                .isNotEqualTo(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0});

        assertThatThrownBy(() -> new SeriesStateCodec(SEASONAL_CONFIG)
                .decode(java.util.Arrays.copyOf(seasonal, seasonal.length - 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seasonal history");
    }

    @Test
    void stateOfAnotherShapeIsRejected() {
        LearnerConfig small = LearnerConfig.builder().hidden(4).build();
        LearnerConfig large = LearnerConfig.builder().hidden(8).build();
        byte[] bytes = new SeriesStateCodec(small).encode(new OnlineForecaster(small).newSeries());
        assertThatThrownBy(() -> new SeriesStateCodec(large).decode(bytes))
                .hasMessageContaining("another model shape");
    }

    /** A series observed long enough for its detector to have a non-trivial state. */
    private static SeriesState observed(OnlineForecaster f, int records) {
        SeriesState s = f.newSeries();
        for (int t = 0; t < records; t++) {
            f.observe(s, new double[0], Math.sin(0.3 * t) + (t > 200 ? 3 : 0));
        }
        return s;
    }

    @Test
    void theDriftDetectorsStateTravelsWithTheSeries() {
        for (String detector : new String[] {"page-hinkley:threshold=5", "adwin"}) {
            LearnerConfig config = LearnerConfig.builder().hidden(4).driftDetector(detector).build();
            SeriesState original = observed(new OnlineForecaster(config), 300);
            SeriesStateCodec codec = new SeriesStateCodec(config);
            SeriesState restored = codec.decode(codec.encode(original));
            assertThat(restored.drift.exportState()).as(detector).isEqualTo(original.drift.exportState());
            assertThat(restored.driftDetections()).isEqualTo(original.driftDetections());
            // decodeInto a state that held another series' detector replaces it entirely
            SeriesState reused = codec.decode(codec.encode(new OnlineForecaster(config).newSeries()));
            codec.decodeInto(codec.encode(original), reused);
            assertThat(reused.drift.exportState()).isEqualTo(original.drift.exportState());
        }
    }

    @Test
    void aStateWrittenWithoutOrWithAnotherDetectorStartsAFreshOne() {
        LearnerConfig none = LearnerConfig.builder().hidden(4).driftDetector("none").build();
        LearnerConfig ph = LearnerConfig.builder().hidden(4).driftDetector("page-hinkley:threshold=5").build();
        LearnerConfig adwin = LearnerConfig.builder().hidden(4).driftDetector("adwin").build();
        SeriesState withPh = observed(new OnlineForecaster(ph), 300);
        assertThat(withPh.driftDetections()).isPositive();

        SeriesState s = new SeriesStateCodec(adwin).decode(new SeriesStateCodec(ph).encode(withPh));
        assertThat(s.driftDetections()).isZero();
        assertThat(s.drift.exportState()).isEqualTo(new OnlineForecaster(adwin).newSeries().drift.exportState());
        assertThat(s.steps()).isEqualTo(300);

        SeriesState fresh = new SeriesStateCodec(ph).decode(new SeriesStateCodec(none).encode(observed(
                new OnlineForecaster(none), 50)));
        assertThat(fresh.driftDetections()).isZero();
        assertThat(fresh.steps()).isEqualTo(50);
        // and a detector's state is simply dropped when none is configured
        assertThat(new SeriesStateCodec(none).decode(new SeriesStateCodec(ph).encode(withPh)).steps()).isEqualTo(300);
    }

    @Test
    void statesOfFormats2And3FromBeforePerSeriesStatisticsStillDecode() throws java.io.IOException {
        byte[] format4 = resource("format-4-hidden5-chunk4-perkey.state");
        java.util.Map<String, String> expected = expected("format-4-hidden5-chunk4-perkey");
        for (int format : new int[] {2, 3}) {
            SeriesState s = new SeriesStateCodec(FORMAT4_CONFIG).decode(earlierFormat(format4, format));
            assertThat(s.steps()).as("format %d", format).isEqualTo(Long.parseLong(expected.get("steps")));
            assertThat(s.hiddenState()).containsExactly(doubles(expected.get("hidden")));
            assertThat(s.driftDetections()).isZero();
            assertThat(s.targetStats().count(0)).as("migrated from the (here empty) shared statistics").isZero();
            assertThat(s.lastTime()).isEqualTo(Long.MIN_VALUE);
        }
    }

    /** The configuration the format-4 and -5 fixtures were written with (series-state/README.md). */
    // The releases that wrote formats 2-7 had no linear path by default.
    private static final LearnerConfig FORMAT4_CONFIG = LearnerConfig.builder().linearLags(0).features(2).horizon(3).hidden(5)
            .chunk(4).window(4).featureScaling(FeatureScaling.PER_KEY).build();

    /** FORMAT4_CONFIG with a season of 5 records: the combination gains the seasonal naive expert. */
    private static final LearnerConfig SEASONAL_CONFIG = FORMAT4_CONFIG.toBuilder().season(5).build();

    /**
     * Format 3 (or 2) bytes of the same series as a format-4 state: format 3 kept each pending step's base
     * (8 bytes, after the targets) and ended with the drift detector's state; format 2 had no detector state.
     */
    private static byte[] earlierFormat(byte[] format4, int format) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(format4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int states = in.getInt(1);
        int inputs = in.getInt(5);
        int features = in.getInt(9);
        int pending = in.getInt(13);
        int slots = Math.max(1, FORMAT4_CONFIG.horizon());
        int targetsEnd = 1 + 16 + 16 + 32 + 16 * slots + 16 * states + 8 * features + 8 * pending * inputs + 8 * pending;
        int labelsEnd = targetsEnd + pending;
        int driftEnd = labelsEnd + 4 + 8 * in.getInt(labelsEnd);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(format4, 0, targetsEnd);
        out.writeBytes(new byte[8 * pending]);
        out.write(format4, targetsEnd, pending);
        if (format == 3) {
            out.write(format4, labelsEnd, driftEnd - labelsEnd);
        }
        byte[] bytes = out.toByteArray();
        bytes[0] = (byte) format;
        return bytes;
    }

    private static byte[] resource(String name) throws java.io.IOException {
        try (java.io.InputStream in = SeriesStateCodecTest.class.getResourceAsStream("/series-state/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static java.util.Map<String, String> expected(String name) throws java.io.IOException {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String line : new String(resource(name + ".expected.txt"),
                java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            String[] kv = line.split("=", 2);
            m.put(kv[0], kv[1]);
        }
        return m;
    }

    private static double[] doubles(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void aDetectorAddsNoAllocationToDecodingIntoAReusedState() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.assertj.core.api.Assumptions.assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        org.assertj.core.api.Assumptions.assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        long without = decodeAllocations(threads, "none");
        for (String detector : new String[] {"page-hinkley", "adwin"}) {
            // Without a detector a decode allocates the ByteBuffer wrapper (56 bytes); a detector adds nothing.
            assertThat(decodeAllocations(threads, detector)).as(detector).isLessThan(without + 20_000);
        }
    }

    /** Bytes allocated by 20,000 decodes into one reused state, after as many to warm up. */
    private static long decodeAllocations(com.sun.management.ThreadMXBean threads, String detector) {
        LearnerConfig config = LearnerConfig.builder().hidden(4).driftDetector(detector).build();
        SeriesStateCodec codec = new SeriesStateCodec(config);
        byte[] bytes = codec.encode(observed(new OnlineForecaster(config), 300));
        SeriesState reused = codec.decode(bytes);
        for (int i = 0; i < 20_000; i++) {
            codec.decodeInto(bytes, reused);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            codec.decodeInto(bytes, reused);
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
