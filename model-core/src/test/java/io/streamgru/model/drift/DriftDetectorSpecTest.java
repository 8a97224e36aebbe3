package io.streamgru.model.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriftDetectorSpecTest {

    @Test
    void noneMakesNoDetector() {
        assertThat(DriftDetectorSpec.parse("none").newDetector()).isNull();
        assertThat(DriftDetectorSpec.parse(" None ").enabled()).isFalse();
    }

    @Test
    void pageHinkleyDefaultsAreRiversExceptAlphaOneAndUp() {
        PageHinkley ph = (PageHinkley) DriftDetectorSpec.parse("page-hinkley").newDetector();
        assertThat(ph.minInstances()).isEqualTo(PageHinkley.DEFAULT_MIN_INSTANCES);
        assertThat(ph.delta()).isEqualTo(PageHinkley.DEFAULT_DELTA);
        assertThat(ph.threshold()).isEqualTo(PageHinkley.DEFAULT_THRESHOLD);
        assertThat(ph.alpha()).isEqualTo(1.0);
        assertThat(ph.direction()).isEqualTo(DriftDirection.UP);
    }

    @Test
    void parametersAreNamed() {
        PageHinkley ph = (PageHinkley) DriftDetectorSpec.parse("page-hinkley:delta=0.05:threshold=6:alpha=0.9999"
                + ":min-instances=10:direction=both").newDetector();
        assertThat(ph.delta()).isEqualTo(0.05);
        assertThat(ph.threshold()).isEqualTo(6);
        assertThat(ph.alpha()).isEqualTo(0.9999);
        assertThat(ph.minInstances()).isEqualTo(10);
        assertThat(ph.direction()).isEqualTo(DriftDirection.BOTH);
        Adwin a = (Adwin) DriftDetectorSpec.parse("ADWIN:delta=0.01:clock=16:max-buckets=4:min-window-length=3"
                + ":grace-period=20").newDetector();
        assertThat(a.delta()).isEqualTo(0.01);
        assertThat(a.clock()).isEqualTo(16);
        assertThat(a.maxBuckets()).isEqualTo(4);
        assertThat(a.minWindowLength()).isEqualTo(3);
        assertThat(a.gracePeriod()).isEqualTo(20);
    }

    @Test
    void badSpecsAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> DriftDetectorSpec.parse("cusum")).hasMessageContaining("unknown 'cusum'");
        assertThatThrownBy(() -> DriftDetectorSpec.parse("page-hinkley:clock=3")).hasMessageContaining("no parameter 'clock'");
        assertThatThrownBy(() -> DriftDetectorSpec.parse("page-hinkley:threshold")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> DriftDetectorSpec.parse("page-hinkley:threshold=x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> DriftDetectorSpec.parse("page-hinkley:threshold=-1")).hasMessageContaining("threshold");
        assertThatThrownBy(() -> DriftDetectorSpec.parse("adwin:delta=2")).hasMessageContaining("delta");
        assertThatThrownBy(() -> DriftDetectorSpec.parse("none:x=1")).hasMessageContaining("no parameter");
        assertThatThrownBy(() -> DriftDetectorSpec.parse(" ")).hasMessageContaining("expected one of");
    }

    @Test
    void specsWithTheSameMeaningAreEqual() {
        assertThat(DriftDetectorSpec.parse("Page-Hinkley:threshold=6"))
                .isEqualTo(DriftDetectorSpec.parse("page-hinkley:threshold=6"))
                .isNotEqualTo(DriftDetectorSpec.parse("page-hinkley"));
    }
}
