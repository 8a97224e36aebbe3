package io.streamgru.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@link StreamingQualityCheck} (docs/QUALITY.md, "The streaming app against the
 * sequential learner"): the streaming app, learning asynchronously from a backlog, forecasts nearly
 * as well as the same learner run sequentially, and well below persistence, after a concept drift.
 */
class StreamingQualityCheckTest {

    @Test
    void theStreamingAppLearnsADriftingBacklogNearlyAsWellAsTheSequentialLearner() throws Exception {
        List<StreamingQualityCheck.Window> windows = new StreamingQualityCheck(20, 2000, 0.6).run(4, 0, Map.of());
        StreamingQualityCheck.Window last = windows.get(windows.size() - 1);
        assertThat(last.name()).isEqualTo("last 10 %");
        assertThat(last.scored()).isEqualTo(20 * 200);
        // Measured on 4,000 steps: 1.04-1.25 of the sequential learner, 0.60-0.72 of persistence.
        assertThat(last.streaming() / last.sequential()).as("streaming / sequential MAE, %s", windows).isLessThan(1.5);
        assertThat(last.streaming() / last.persistence()).as("streaming / persistence MAE, %s", windows).isLessThan(0.85);
    }
}
