package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonForecastEncoderTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyNumberIsTheShortestDecimalThatReadsBackAsTheSameDouble() throws Exception {
        JsonForecastEncoder encoder = new JsonForecastEncoder();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // Every magnitude and bit pattern: a random finite double, and a forecast-like value near 20.
            double any = Double.longBitsToDouble(random.nextLong());
            double v = Double.isFinite(any) ? any : 20 + random.nextDouble();
            String record = new String(encoder.encode("t", new Forecast("s", 0, 1, v, 0, "h", Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, false)), java.nio.charset.StandardCharsets.UTF_8);
            int start = record.indexOf("\"prediction\":") + "\"prediction\":".length();
            String written = record.substring(start, record.indexOf(',', start));
            assertThat(json.readTree(record).get("prediction").doubleValue()).as("valid JSON").isEqualTo(v);
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(written))).as(written)
                    .isEqualTo(Double.doubleToRawLongBits(v));
            assertThat(written.length()).as("no longer than JDK 17's %s", Double.toString(v))
                    .isLessThanOrEqualTo(Double.toString(v).length());
        }
        // JDK 17's Double.toString writes 2.82879384806159008E17 and 9.999999999999999E22 for these (JDK-4511638).
        assertThat(new String(encoder.encode("t", new Forecast("s", 0, 1, 2.82879384806159E17, 0, "h", 1.0E23,
                Double.NaN, Double.NaN, Double.NaN, false)), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"prediction\":2.82879384806159E17,").contains("\"actual\":1.0E23,");
    }

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
