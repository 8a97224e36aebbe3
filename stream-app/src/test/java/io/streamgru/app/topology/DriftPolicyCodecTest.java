package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.model.drift.DriftPolicy;
import org.junit.jupiter.api.Test;

class DriftPolicyCodecTest {

    @Test
    void aStoredPolicyStateRestoresABoostAndBadBytesAreRefused() {
        DriftPolicy before = DriftPolicy.parse("boost:3:100");
        before.onDrift(40);
        DriftPolicy after = DriftPolicy.parse("boost:3:100");
        DriftPolicyCodec.restore(DriftPolicyCodec.encode(before), after);
        assertThat(after.learningRateMultiplier(139)).isEqualTo(3.0);
        assertThat(after.learningRateMultiplier(140)).isEqualTo(1.0);
        assertThat(after.actedOn()).isEqualTo(1);
        assertThatThrownBy(() -> DriftPolicyCodec.restore(new byte[12], after))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DriftPolicyCodec.restore(new byte[16], after))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(after.learningRateMultiplier(139)).as("unchanged by the refused bytes").isEqualTo(3.0);
    }
}
