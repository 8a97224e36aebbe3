package io.streamgru.app.testing.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The fault suite's checker finds each kind of delivery fault, and counts it. */
class ForecastAuditTest {

    private static final List<Reading> READINGS = List.of(
            reading("a", 0, 20.5), reading("a", 1, 21.0), reading("a", 2, 21.5),
            reading("b", 0, 7.25), reading("b", 1, 7.5));
    private static final List<ModelWatch.Seen> VERSIONS = List.of(seen(1, true), seen(2, true), seen(3, true));

    @Test
    void exactlyOneForecastPerReadingInOrderIsClean() {
        AuditResult result = ForecastAudit.audit(READINGS, List.of(forecast("a", 0, 20.5, "0.1"),
                forecast("b", 0, 7.25, "0.2"), forecast("a", 1, 21.0, "0.3"), forecast("b", 1, 7.5, "0.4"),
                forecast("a", 2, 21.5, "0.5")), VERSIONS);

        assertThat(result.clean()).as("%s", result).isTrue();
        assertThat(result.records()).isEqualTo(5);
        assertThat(result.forecasts()).isEqualTo(5);
        assertThat(result.versions()).isEqualTo(3);
    }

    @Test
    void countsLostDuplicateReorderedNonFiniteAndAlteredForecasts() {
        List<ConsumerRecord<byte[], byte[]>> forecasts = new ArrayList<>(List.of(
                forecast("a", 0, 20.5, "0.1"),
                forecast("a", 2, 21.5, "0.2"),
                forecast("a", 1, 21.0, "0.3"),      // after #2: reordered
                forecast("a", 1, 21.0, "0.3"),      // again: duplicate, and reordered once more
                forecast("b", 0, 7.0, "null")));   // wrong actual, non-finite prediction; b#1 lost

        AuditResult result = ForecastAudit.audit(READINGS, forecasts, VERSIONS);

        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.duplicate()).isEqualTo(1);
        assertThat(result.reordered()).isEqualTo(2);
        assertThat(result.nonFinite()).isEqualTo(1);
        assertThat(result.mismatched()).isEqualTo(1);
        assertThat(result.clean()).isFalse();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("no forecast of", "key=b", "sequence=1"));
    }

    @Test
    void keysOutsideTheAuditAreCheckedOnlyForNonFiniteNumbers() {
        List<ConsumerRecord<byte[], byte[]>> forecasts = new ArrayList<>(List.of(forecast("a", 0, 20.5, "0.1"),
                forecast("a", 1, 21.0, "0.1"), forecast("a", 2, 21.5, "0.1"), forecast("b", 0, 7.25, "0.1"),
                forecast("b", 1, 7.5, "0.1"), forecast("poison", 5, 1e300, "null")));

        AuditResult result = ForecastAudit.audit(READINGS, forecasts, VERSIONS);

        assertThat(result.lost() + result.duplicate() + result.reordered() + result.mismatched()).isZero();
        assertThat(result.nonFinite()).isEqualTo(1);
    }

    @Test
    void modelVersionsMustBeOneToNWithoutGapsAndFinite() {
        assertThat(ModelWatch.gaps(VERSIONS)).isEmpty();
        assertThat(ModelWatch.gaps(List.of(seen(1, true), seen(3, true)))).containsExactly(
                "position 1 holds version 3, expected 2");
        assertThat(ModelWatch.gaps(List.of(seen(1, true), seen(2, false)))).containsExactly(
                "version 2 has non-finite parameters");
        assertThat(ModelWatch.gaps(List.of())).containsExactly("no model version was published");
        assertThat(ForecastAudit.audit(READINGS, List.of(), List.of(seen(2, true))).versionsGapFree()).isFalse();
    }

    private static Reading reading(String key, long sequence, double target) {
        return new Reading(key, sequence, SensorStream.FIRST_EVENT_TIME + sequence * SensorStream.STEP_MILLIS,
                target, 0, sequence);
    }

    private static ModelWatch.Seen seen(long version, boolean finite) {
        return new ModelWatch.Seen(version, finite, version);
    }

    private static ConsumerRecord<byte[], byte[]> forecast(String key, long sequence, double actual,
                                                           String prediction) {
        String json = String.format(Locale.ROOT, "{\"series_id\":\"%s\",\"event_time\":%d,\"horizon\":1,"
                        + "\"prediction\":%s,\"model_version\":1,\"config_hash\":\"x\",\"actual\":%s,"
                        + "\"resolved_prediction\":null,\"error\":null,\"persistence_error\":null,\"drift\":false}",
                key, SensorStream.FIRST_EVENT_TIME + sequence * SensorStream.STEP_MILLIS, prediction, actual);
        return new ConsumerRecord<>("forecasts", 0, sequence, key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }
}
