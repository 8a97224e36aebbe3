package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonForecastEncoderTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theDriftFieldIsABoolean() throws Exception {
        JsonForecastEncoder encoder = new JsonForecastEncoder();
        JsonNode drifting = json.readTree(encoder.encode("t", new Forecast("s-1", 1000, 1, 20.5, 3, "h", 21, 20, 1,
                Double.NaN, true)));
        JsonNode calm = json.readTree(encoder.encode("t", new Forecast("s-1", 1000, 1, 20.5, 3, "h", Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, false)));
        assertThat(drifting.get("drift").isBoolean()).isTrue();
        assertThat(drifting.get("drift").asBoolean()).isTrue();
        assertThat(drifting.get("persistence_error").isNull()).isTrue();
        assertThat(calm.get("drift").asBoolean(true)).isFalse();
        assertThat(calm.get("error").isNull()).isTrue();
    }

    @Test
    void theIntervalIsTwoNumbersAndItsLevelOrThreeNullsBeforeTheKeyHasOne() throws Exception {
        JsonForecastEncoder encoder = new JsonForecastEncoder();
        JsonNode with = json.readTree(encoder.encode("t", new Forecast("s-1", 1000, 1, 20.5, 3, "h", 21, 20, 1,
                0.5, false, 19.75, 21.25, 0.9)));
        assertThat(with.get("lower").asDouble()).isEqualTo(19.75);
        assertThat(with.get("upper").asDouble()).isEqualTo(21.25);
        assertThat(with.get("interval_level").asDouble()).isEqualTo(0.9);
        JsonNode without = json.readTree(encoder.encode("t", new Forecast("s-1", 1000, 1, 20.5, 3, "h", 21, 20, 1,
                0.5, false, Double.NaN, Double.NaN, 0.9)));
        assertThat(without.get("lower").isNull()).isTrue();
        assertThat(without.get("upper").isNull()).isTrue();
        assertThat(without.get("interval_level").isNull()).as("no interval, no level").isTrue();
    }

    @Test
    void theModelsOwnForecastAndTheDominantExpertFollowTheInterval() throws Exception {
        JsonForecastEncoder encoder = new JsonForecastEncoder();
        JsonNode combined = json.readTree(encoder.encode("t", new Forecast("s-1", 1000, 1, 20.5, 3, "h", 21, 20, 1,
                0.5, false, 19.75, 21.25, 0.9, 20.25, "persistence")));
        assertThat(combined.get("model_forecast").asDouble()).isEqualTo(20.25);
        assertThat(combined.get("expert").asText()).isEqualTo("persistence");
        JsonNode alone = json.readTree(encoder.encode("t", new Forecast("s-1", 1000, 1, 20.5, 3, "h", 21, 20, 1,
                0.5, false, 19.75, 21.25, 0.9)));
        assertThat(alone.get("model_forecast").asDouble()).as("the model's own: the prediction").isEqualTo(20.5);
        assertThat(alone.get("expert").isNull()).as("no combination, no expert").isTrue();
    }
}
