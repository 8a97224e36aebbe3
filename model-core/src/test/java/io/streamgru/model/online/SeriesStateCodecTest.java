package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeriesStateCodecTest {

    @ParameterizedTest
    @EnumSource(FeatureScaling.class)
    void aSeriesRestoredFromBytesContinuesExactlyAsTheOriginal(FeatureScaling scaling) {
        LearnerConfig config = LearnerConfig.builder().features(2).horizon(3).hidden(5).chunk(4).window(4)
                .featureScaling(scaling).build();
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

        for (int t = 37; t < 80; t++) {
            double[] f = {Math.sin(t), Math.cos(t)};
            double y = Math.sin(0.2 * t);
            assertThat(b.observe(restored, f.clone(), y)).as("step %d", t).isEqualTo(a.observe(original, f, y));
            assertThat(restored.intervalHalfWidth()).as("interval at step %d", t).isEqualTo(original.intervalHalfWidth());
            assertThat(restored.resolvedHalfWidth()).isEqualTo(original.resolvedHalfWidth());
        }
        assertThat(b.model().parameters()).isEqualTo(a.model().parameters());
    }

    /**
     * A key state written by the release before intervals (format 4: hidden 4, chunk 4, 300 steps of
     * 20 + 3 sin(0.2 t), written by commit 764fbd5's codec) is read on: the series keeps its place and
     * its interval starts cold, then calibrates on the errors that follow; it is written back in the
     * current format (6).
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
        assertThat(rewritten[0]).isEqualTo((byte) 6);
        assertThat(codec.decode(rewritten).interval.scale()).isEqualTo(s.interval.scale());
    }

    @Test
    void anIntervalStateOfAnotherHorizonStartsCold() {
        LearnerConfig h1 = LearnerConfig.builder().hidden(4).build();
        SeriesState s = observed(new OnlineForecaster(h1), 100);
        byte[] bytes = new SeriesStateCodec(h1).encode(s);
        // the interval section (a count, then 3 + 1 numbers at horizon 1, before the linear path's count
        // of 4 bytes) as horizon 2 writes it: 3 + 2 numbers
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 8);
        java.nio.ByteBuffer.wrap(padded).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4 - 36, 5);
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

        for (int t = 39; t < 90; t++) {
            double y = Math.sin(0.2 * t);
            assertThat(b.observe(restored, new double[] {Math.cos(t)}, y)).as("step %d", t)
                    .isEqualTo(a.observe(original, new double[] {Math.cos(t)}, y));
        }
        assertThat(b.model().parameters()).isEqualTo(a.model().parameters());
    }

    @Test
    void aFormat5StateOfThePreviousReleaseDecodesAndContinuesExactly() {
        // The previous release's format 5 is this format without the linear path's history (a count
        // and 2 × (lags − 1) numbers at the end): without a linear path nothing else differs.
        LearnerConfig config = LearnerConfig.builder().features(1).horizon(1).hidden(4).chunk(4).window(4).build();
        OnlineForecaster a = new OnlineForecaster(config);
        OnlineForecaster b = new OnlineForecaster(config);
        SeriesState original = a.newSeries();
        SeriesState twin = b.newSeries();
        for (int t = 0; t < 30; t++) {
            a.observe(original, new double[] {Math.cos(t)}, Math.sin(0.2 * t));
            b.observe(twin, new double[] {Math.cos(t)}, Math.sin(0.2 * t));
        }
        byte[] bytes = new SeriesStateCodec(config).encode(twin);
        byte[] format5 = java.util.Arrays.copyOf(bytes, bytes.length - 4);
        format5[0] = 5;
        SeriesState restored = new SeriesStateCodec(config).decode(format5);
        for (int t = 30; t < 60; t++) {
            assertThat(b.observe(restored, new double[] {Math.cos(t)}, Math.sin(0.2 * t))).as("step %d", t)
                    .isEqualTo(a.observe(original, new double[] {Math.cos(t)}, Math.sin(0.2 * t)));
        }
        // Under a configuration with a linear path, the same state starts the path's history at the mean.
        LearnerConfig linear = config.toBuilder().linearLags(3).build();
        SeriesState migrated = new SeriesStateCodec(linear).decode(format5);
        assertThat(migrated.steps()).isEqualTo(30);
        assertThat(migrated.recentChanges).containsExactly(0.0, 0.0);
        assertThat(migrated.chunkStartChanges).containsExactly(0.0, 0.0);
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
    void aFormat2StateFromBeforeDetectorsStillDecodes() {
        LearnerConfig config = LearnerConfig.builder().hidden(4).build();
        SeriesState original = observed(new OnlineForecaster(config), 40);
        byte[] bytes = new SeriesStateCodec(config).encode(original);
        // format 2 is format 3 without the trailing detector state
        int detector = 4 + 8 * original.drift.stateLength();
        byte[] old = java.util.Arrays.copyOf(bytes, bytes.length - detector);
        old[0] = 2;
        SeriesState s = new SeriesStateCodec(config).decode(old);
        assertThat(s.steps()).isEqualTo(40);
        assertThat(s.hiddenState()).isEqualTo(original.hiddenState());
        assertThat(s.driftDetections()).isZero();
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
