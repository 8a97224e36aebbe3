package io.streamgru.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.topology.Forecast;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchedKeysTest {

    /** The forecast a learner publishes at step {@code t} of a key whose actual is {@code 10 t}, forecast as {@code 10 t + 1}. */
    private static Forecast step(String key, int t, int horizon) {
        double resolved = t >= horizon ? 10.0 * t + 1 : Double.NaN; // made `horizon` steps earlier for this step
        double prediction = 10.0 * (t + horizon) + 1;
        return new Forecast(key, 1000L * t, horizon, prediction, 1, "h", 10.0 * t, resolved, Double.NaN, Double.NaN,
                false, prediction - 2, prediction + 2, 0.9);
    }

    @Test
    void chartsTheChosenKeysOnlyAndPairsEachActualWithTheForecastMadeForItAndItsInterval() {
        WatchedKeys keys = new WatchedKeys(List.of("b", "a"), 4, 100);
        for (int t = 0; t < 5; t++) {
            keys.published(step("a", t, 2));
            keys.published(step("c", t, 2));
        }
        assertThat(keys.keys()).containsExactly("b", "a");
        assertThat(keys.points("c")).isEmpty();
        assertThat(keys.points("b")).isEmpty();
        List<WatchedKeys.Point> a = keys.points("a");
        assertThat(a).hasSize(5);
        assertThat(a.get(0)).isEqualTo(new WatchedKeys.Point(0, 0, Double.NaN, Double.NaN, Double.NaN));
        // Step 3's forecast was made at step 1 (horizon 2): 31, with the interval 29..33 made with it.
        assertThat(a.get(3)).isEqualTo(new WatchedKeys.Point(3000, 30, 31, 29, 33));
    }

    @Test
    void withoutChosenKeysChartsTheFirstOnesSeenAndKeepsTheLastPointsOfEach() {
        WatchedKeys keys = new WatchedKeys(List.of(), 2, 3);
        for (int t = 0; t < 10; t++) {
            for (String key : List.of("x", "y", "z")) {
                keys.published(step(key, t, 1));
            }
        }
        assertThat(keys.keys()).containsExactly("x", "y");
        assertThat(keys.points("z")).isEmpty();
        assertThat(keys.points("y")).extracting(WatchedKeys.Point::eventTime).containsExactly(7000L, 8000L, 9000L);
        assertThat(keys.points("y").get(2)).isEqualTo(new WatchedKeys.Point(9000, 90, 91, 89, 93));
    }

    @Test
    void anExpiredKeyLeavesTheChartForAKeyStillReadingAndAChosenOneStartsAgain() {
        WatchedKeys first = new WatchedKeys(List.of(), 2, 3);
        for (String key : List.of("x", "y", "z")) {
            first.published(step(key, 0, 1));
        }
        first.expired("x");
        first.published(step("z", 1, 1));
        assertThat(first.keys()).containsExactly("y", "z");

        WatchedKeys chosen = new WatchedKeys(List.of("a"), 1, 10);
        for (int t = 0; t < 3; t++) {
            chosen.published(step("a", t, 1));
        }
        chosen.expired("a");
        assertThat(chosen.keys()).containsExactly("a");
        assertThat(chosen.points("a")).as("the key starts cold: so does its chart").isEmpty();
    }
}
