package io.streamgru.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgru.app.topology.StreamGruMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the view goes: redrawn in place on a terminal, one plain line per refresh elsewhere. */
class StatusDisplayTest {

    private final LiveView view = new LiveView(new StreamGruMetrics(new SimpleMeterRegistry()), List.of("room-000"));
    private final StringWriter written = new StringWriter();

    @Test
    void notOnATerminalEachRefreshAppendsOnePlainStatusLine() {
        StatusDisplay display = StatusDisplay.plain(new PrintWriter(written));
        view.accept(new LiveView.ForecastView("room-000", 11, 23.0, 7, 22.0, 21.5, 0.4));

        display.show(view);
        display.show(view);

        assertThat(display.redraws()).isFalse();
        assertThat(written.toString()).doesNotContain("\u001b");
        assertThat(written.toString().lines()).hasSize(2)
                .allMatch(line -> line.matches("\\[ +\\d+s\\] 0 records .* \\| MAE model — vs persistence — .*"));
    }

    @Test
    void onATerminalEachRefreshGoesBackUpOverThePreviousBlockAndClearsIt() {
        StatusDisplay display = StatusDisplay.terminal(new PrintWriter(written));
        view.accept(new LiveView.ForecastView("room-000", 11, 23.0, 7, 22.0, 21.5, 0.4));

        display.show(view);
        String first = written.toString();
        written.getBuffer().setLength(0);
        display.show(view);
        String second = written.toString();

        assertThat(display.redraws()).isTrue();
        assertThat(first).startsWith("\u001b[J").doesNotContain("\u001b[A");
        List<String> firstLines = first.substring("\u001b[J".length()).lines().toList();
        assertThat(firstLines).hasSizeGreaterThan(2)
                .anyMatch(line -> line.contains("MAE model —"))
                .anyMatch(line -> line.contains("room-000 hour     11  actual  22.00  forecast  21.50"))
                .allMatch(line -> line.length() <= StatusDisplay.WIDTH);
        assertThat(second).startsWith("\u001b[" + firstLines.size() + "A\r\u001b[J");
    }

    @Test
    void aLongPartIsBrokenAfterCommasSoThatNoTerminalLineWraps() {
        String part = "        gradient batches 123456 applied, 7890 stale dropped, batch version lag mean 12.5 max 300";

        List<String> lines = StatusDisplay.fit(part);

        assertThat(lines).hasSize(2).allMatch(line -> line.length() <= StatusDisplay.WIDTH);
        assertThat(String.join(" ", lines).replaceAll(" +", " ")).isEqualTo(part.replaceAll(" +", " "));
    }
}
