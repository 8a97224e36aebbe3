package io.streamgru.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the dashboard page shows in a browser, read as a user's eyes would: how much of each chart's
 * canvas is drawn in colour (axes, grid and labels are grey, so an empty chart counts none), and
 * the figures it shows as text.
 */
public final class DashboardPage {

    /** One chart: its name ({@code key} for a charted key's), the key, and its coloured pixels. */
    public record Chart(String name, String key, int coloured) {
    }

    private static final String CHARTS = """
            Array.from(document.querySelectorAll('.chart')).map(box => {
              const canvas = box.querySelector('canvas');
              let coloured = 0;
              if (canvas && canvas.width > 0 && canvas.height > 0) {
                const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                for (let i = 0; i < px.length; i += 4) {
                  const max = Math.max(px[i], px[i + 1], px[i + 2]), min = Math.min(px[i], px[i + 1], px[i + 2]);
                  if (px[i + 3] > 0 && max - min >= 60) coloured++;
                }
              }
              return { chart: box.dataset.chart, key: box.dataset.key || '', coloured: coloured };
            })""";

    private static final String FIGURES = """
            Object.fromEntries(['records', 'modelVersion', 'versionLag', 'modelMae', 'persistenceMae', 'deadLetters',
              'driftDetections'].map(id => [id, document.getElementById(id).textContent]))""";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private DashboardPage() {
    }

    /** Every chart on the page, in page order. */
    public static List<Chart> charts(HeadlessChromium browser) throws Exception {
        List<Chart> charts = new ArrayList<>();
        for (JsonNode c : browser.evaluate(CHARTS, TIMEOUT)) {
            charts.add(new Chart(c.path("chart").asText(), c.path("key").asText(), c.path("coloured").asInt()));
        }
        return charts;
    }

    /** The figures shown as text, by element id, as displayed (e.g. {@code "1,237"}, {@code "0.2089"}). */
    public static JsonNode figures(HeadlessChromium browser) throws Exception {
        return browser.evaluate(FIGURES, TIMEOUT);
    }

    /** A figure as a number (grouping commas dropped). */
    public static double number(JsonNode figures, String id) {
        return Double.parseDouble(figures.path(id).asText().replace(",", ""));
    }
}
