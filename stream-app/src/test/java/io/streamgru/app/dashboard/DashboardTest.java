package io.streamgru.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.topology.StreamGruMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardTest {

    @Test
    void theDocumentHoldsTheMetersNowTheirSampledHistoryAndTheChartedKeys() throws Exception {
        WatchedKeys keys = Dashboard.watch(List.of("sensor-1"));
        StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry(), keys);
        try (Dashboard dashboard = Dashboard.start(metrics, keys)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            JsonNode doc = new ObjectMapper().readTree(dashboard.json());
            while (doc.path("history").path("t").size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                doc = new ObjectMapper().readTree(dashboard.json());
            }
            assertThat(doc.path("format").asInt()).isEqualTo(Dashboard.FORMAT);
            assertThat(doc.path("now").path("records").asLong()).isEqualTo(metrics.records());
            assertThat(doc.path("now").path("modelMae").isNull()).as("no MAE before a scored forecast: null, not NaN")
                    .isTrue();
            JsonNode history = doc.path("history");
            assertThat(history.path("t").size()).isGreaterThanOrEqualTo(2);
            for (String column : List.of("recordsPerSecond", "modelMae", "persistenceMae", "modelVersion", "versionLag",
                    "driftDetections", "driftPolicyActions")) {
                assertThat(history.path(column).size()).as(column).isEqualTo(history.path("t").size());
            }
            assertThat(history.path("deadLetters").path("NON_NUMERIC").size()).isEqualTo(history.path("t").size());
            assertThat(doc.path("keys").findValuesAsText("key")).containsExactly("sensor-1");
        }
    }
}
