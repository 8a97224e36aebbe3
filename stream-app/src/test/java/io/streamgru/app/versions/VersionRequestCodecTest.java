package io.streamgru.app.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionRequestCodecTest {

    private final ModelVersion contents = new ModelVersion(0, "abc123", new double[] {1.5, -2.25, Math.PI},
            new double[] {3, 0.5}, new double[] {7}, new double[] {0.1, 0.2, 0.3}, 17, 4096, 0, "x", 0.0625);

    @Test
    void roundTripsTheIdTheOriginAndTheContentsExactly() {
        VersionRequest back = VersionRequestCodec.decode(VersionRequestCodec.encode(
                new VersionRequest("id-1", "rollback:7", contents)));

        assertThat(back.id()).isEqualTo("id-1");
        assertThat(back.origin()).isEqualTo("rollback:7");
        assertThat(back.contents().parameters()).containsExactly(contents.parameters());
        assertThat(back.contents().optimizerState()).containsExactly(contents.optimizerState());
        assertThat(back.contents().featureStats()).containsExactly(contents.featureStats());
        assertThat(back.contents().samplesTrained()).isEqualTo(4096);
        assertThat(back.contents().configHash()).isEqualTo("abc123");
    }

    @Test
    void refusesAFormatItDoesNotKnow() {
        byte[] bytes = VersionRequestCodec.encode(new VersionRequest("i", "o", contents));
        bytes[4] = 9;

        assertThatThrownBy(() -> VersionRequestCodec.decode(bytes)).hasMessageContaining("format 9");
    }
}
