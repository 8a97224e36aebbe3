package io.streamgru.app.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ModelVersionCodecTest {

    private final ModelVersion version = new ModelVersion(42, "abc123", new double[] {1.5, -2.25, Math.PI},
            new double[] {3, 0.5}, new double[] {7}, new double[] {0.1, 0.2, 0.3}, 17, 4096, 1_700_000_000_000L,
            "rollback:7", 0.0625);

    @Test
    void roundTripsEveryFieldExactly() {
        ModelVersion back = ModelVersionCodec.decode(ModelVersionCodec.encode(version));

        assertThat(back.version()).isEqualTo(42);
        assertThat(back.configHash()).isEqualTo("abc123");
        assertThat(back.parameters()).containsExactly(1.5, -2.25, Math.PI);
        assertThat(back.featureStats()).containsExactly(3, 0.5);
        assertThat(back.targetStats()).containsExactly(7);
        assertThat(back.optimizerState()).containsExactly(0.1, 0.2, 0.3);
        assertThat(back.optimizerSteps()).isEqualTo(17);
        assertThat(back.samplesTrained()).isEqualTo(4096);
        assertThat(back.createdAt()).isEqualTo(1_700_000_000_000L);
        assertThat(back.origin()).isEqualTo("rollback:7");
        assertThat(back.loss()).isEqualTo(0.0625);
        assertThat(ModelVersionCodec.version(ModelVersionCodec.encode(version))).isEqualTo(42);
    }

    @Test
    void readsVersionsWrittenBeforeOriginAndLossExisted() {
        byte[] current = ModelVersionCodec.encode(version);
        // Format 1 is format 3 without the trailing origin string, loss and flags.
        int tail = 4 + "rollback:7".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 8 + 1;
        byte[] old = java.util.Arrays.copyOf(current, current.length - tail);
        old[4] = 1;

        ModelVersion back = ModelVersionCodec.decode(old);

        assertThat(back.parameters()).containsExactly(1.5, -2.25, Math.PI);
        assertThat(back.createdAt()).isEqualTo(1_700_000_000_000L);
        assertThat(back.origin()).isEqualTo(ModelVersion.FROM_OPTIMIZER);
        assertThat(back.loss()).isNaN();
    }

    @Test
    void carriesWhetherTheDeploymentPublishedTheCombinationAndReadsOlderVersionsAsNot() {
        ModelVersion combined = new ModelVersion(42, "abc123", new double[] {1.5}, new double[] {3}, new double[] {7},
                new double[0], 17, 4096, 1L, "optimizer", 0.5, true);
        assertThat(ModelVersionCodec.decode(ModelVersionCodec.encode(combined)).combined()).isTrue();
        assertThat(ModelVersionCodec.decode(ModelVersionCodec.encode(version)).combined()).isFalse();
        assertThat(combined.renumbered(50, "rollback:42", 2L).combined()).isTrue();

        byte[] current = ModelVersionCodec.encode(combined);
        // Format 2 is format 3 without the trailing flags byte: written before the combination.
        byte[] old = java.util.Arrays.copyOf(current, current.length - 1);
        old[4] = 2;
        ModelVersion back = ModelVersionCodec.decode(old);
        assertThat(back.combined()).isFalse();
        assertThat(back.loss()).isEqualTo(0.5);
        assertThat(back.origin()).isEqualTo("optimizer");
    }

    @Test
    void learnerDecodeSkipsTheOptimizerStateAndKeepsTheRest() {
        ModelVersion learner = ModelVersionCodec.decodeWithoutOptimizerState(ModelVersionCodec.encode(version));
        assertThat(learner.optimizerState()).isEmpty();
        assertThat(learner).usingRecursiveComparison().ignoringFields("optimizerState").isEqualTo(version);
    }

    @Test
    void rejectsBytesThatAreNotAModelVersion() {
        byte[] other = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putInt(12345).array();
        assertThatThrownBy(() -> ModelVersionCodec.decode(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a StreamGRU model version");
        byte[] future = ModelVersionCodec.encode(version);
        future[4] = 9;
        assertThatThrownBy(() -> ModelVersionCodec.decode(future)).hasMessageContaining("format 9");
    }
}
