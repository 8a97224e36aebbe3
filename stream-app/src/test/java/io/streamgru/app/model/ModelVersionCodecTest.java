package io.streamgru.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelVersionCodecTest {

    private static final ModelVersion VERSION = new ModelVersion(7, "hash", new double[] {0.1, -0.2, 0.3},
            new double[] {4, 1, 2}, new double[] {4, 3, 2, 1}, new double[] {9, 0.5, 0.25, 0.125, 1, 2, 3}, 9, 640,
            1_700_000_000_000L);

    @Test
    void fullDecodeReturnsEverything() {
        assertThat(ModelVersionCodec.decode(ModelVersionCodec.encode(VERSION))).usingRecursiveComparison()
                .isEqualTo(VERSION);
    }

    @Test
    void learnerDecodeSkipsTheOptimizerStateAndKeepsTheRest() {
        ModelVersion learner = ModelVersionCodec.decodeWithoutOptimizerState(ModelVersionCodec.encode(VERSION));
        assertThat(learner.optimizerState()).isEmpty();
        assertThat(learner).usingRecursiveComparison().ignoringFields("optimizerState").isEqualTo(VERSION);
    }

    @Test
    void withoutOptimizerStateIsSmallerAndDecodesTheSameForALearner() {
        byte[] full = ModelVersionCodec.encode(VERSION);
        byte[] published = ModelVersionCodec.encode(VERSION.withoutOptimizerState());
        assertThat(full.length - published.length).isEqualTo(8 * VERSION.optimizerState().length);
        assertThat(ModelVersionCodec.decodeWithoutOptimizerState(published)).usingRecursiveComparison()
                .isEqualTo(ModelVersionCodec.decodeWithoutOptimizerState(full));
    }
}
