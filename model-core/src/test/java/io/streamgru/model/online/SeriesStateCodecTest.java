package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeriesStateCodecTest {

    @Test
    void aSeriesRestoredFromBytesContinuesExactlyAsTheOriginal() {
        LearnerConfig config = LearnerConfig.builder().features(2).horizon(3).hidden(5).chunk(4).window(4).build();
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
        }
        assertThat(b.model().parameters()).isEqualTo(a.model().parameters());
    }

    @Test
    void stateOfAnotherShapeIsRejected() {
        LearnerConfig small = LearnerConfig.builder().hidden(4).build();
        LearnerConfig large = LearnerConfig.builder().hidden(8).build();
        byte[] bytes = new SeriesStateCodec(small).encode(new OnlineForecaster(small).newSeries());
        assertThatThrownBy(() -> new SeriesStateCodec(large).decode(bytes))
                .hasMessageContaining("another model shape");
    }
}
