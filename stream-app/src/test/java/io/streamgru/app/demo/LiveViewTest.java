package io.streamgru.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.topology.StreamGruMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's figures: comparable numbers side by side, and a dash (never NaN) for what does not exist yet. */
class LiveViewTest {

    private final StreamGruMetrics metrics = new StreamGruMetrics(new SimpleMeterRegistry());
    private final LiveView view = new LiveView(metrics, List.of("room-000", "room-001"));

    @Test
    void beforeAnythingIsScoredTheMaeReadsAsADashNotNaN() {
        String line = view.statusLine();

        assertThat(line).doesNotContainIgnoringCase("nan")
                .matches("\\[ +\\d+s\\] 0 records \\(0/s\\), 0 forecasts read, model v0 \\| "
                        + "MAE model — vs persistence — \\(last 0: — vs —\\) \\| dead letters 0 \\| .*");
        assertThat(String.join(" ", view.summary(0, Duration.ofSeconds(3)))).doesNotContainIgnoringCase("nan")
                .contains("MAE model — vs persistence —");
    }

    @Test
    void aSensorShowsTheActualOfAReadingBesideTheForecastMadeForThatSameReading() {
        // The record of hour 11: its actual 22.0 settles the forecast made at hour 10 for it (21.5);
        // persistence forecast 22.0 - 0.4 = 21.6 for it. 23.0 is the forecast for hour 12, not comparable yet.
        view.accept(new LiveView.ForecastView("room-000", 11, 23.0, 7, 22.0, 21.5, 0.4));

        assertThat(view.sensorLines()).containsExactly(
                "room-000 hour     11  actual  22.00  forecast  21.50  persistence  21.60");
    }

    @Test
    void aForecastThatResolvesNothingAndUnwatchedSensorsShowNoLine() {
        view.accept(new LiveView.ForecastView("room-001", 0, 20.0, 0, Double.NaN, Double.NaN, Double.NaN));
        view.accept(new LiveView.ForecastView("room-047", 11, 23.0, 9, 22.0, 21.5, 0.4));

        assertThat(view.sensorLines()).isEmpty();
        assertThat(view.forecastsSeen()).isEqualTo(2);
        assertThat(view.modelVersion()).isEqualTo(9);
        assertThat(view.statusLine()).contains(" 2 forecasts read, model v9 |");
    }

    @Test
    void withoutAPersistenceErrorThePersistenceFigureIsADash() {
        view.accept(new LiveView.ForecastView("room-000", 11, 23.0, 7, 22.0, 21.5, Double.NaN));

        assertThat(view.sensorLines()).singleElement().asString().endsWith("persistence —");
    }
}
