package io.streamgru.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.http.HttpEndpoint;
import io.streamgru.app.metrics.PrometheusMeters;
import io.streamgru.app.runtime.StreamGruApp;
import io.streamgru.app.testing.DashboardPage;
import io.streamgru.app.testing.HeadlessChromium;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.SensorReadings;
import io.streamgru.app.testing.TestSettings;
import io.streamgru.app.testing.WithKafka;
import io.streamgru.app.topology.StreamGruMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard at {@code /} as a user sees it: a running instance on a real broker with records
 * flowing, its page loaded in headless Chromium, every chart drawn (coloured pixels on its canvas:
 * axes, grid and labels are grey, so an empty chart has none) and the figures the page shows as text
 * equal to {@code /metrics} read at the same moment.
 *
 * <p>Tolerance: while records flow, the page's counters (records, dead letters, model version) lie
 * between two scrapes of {@code /metrics} taken before and after the page was read (the page polls
 * once a second; it is read 2.5 s after the first scrape, so its figures are younger than it). Once
 * the flow stops and the meters settle, every figure equals {@code /metrics}: counters exactly, the
 * MAEs to the page's four significant digits.
 *
 * <p>Needs Debian's {@code chromium}; skipped with a reason without it unless {@code
 * CI_REQUIRE_CHROMIUM=1} (as on CI), which makes its absence a failure.
 */
@WithKafka
class DashboardInBrowserTest {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardInBrowserTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> CHARTED = List.of("sensor-1", "sensor-4");
    /** Coloured pixels a drawn chart has at least (one line across it has some thousand). */
    private static final int DRAWN = 200;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theChartsAreDrawnAndTheFiguresAgreeWithMetrics(KafkaTestCluster kafka) throws Exception {
        Path chromium = HeadlessChromium.forTest();

        String input = kafka.newTopic("dashboard-in", 2);
        Map<String, String> settings = TestSettings.sensorApp(kafka, "dash-" + System.nanoTime(), input,
                dir.resolve("state"));
        settings.put("learner.hidden", "8");
        settings.put("learner.chunk", "8");
        settings.put("learner.window", "16");
        settings.put("streaming.gradient.flush.ms", "500");
        settings.put("http.port", "0");
        settings.put("http.bind", "127.0.0.1");
        settings.put("http.dashboard.keys", String.join(",", CHARTED));
        StreamGruConfig config = TestSettings.config(settings);
        WatchedKeys charted = Dashboard.watch(config.http().dashboardKeys());
        AtomicBoolean flowing = new AtomicBoolean(true);

        try (PrometheusMeters meters = new PrometheusMeters();
             StreamGruApp app = new StreamGruApp(config, new StreamGruMetrics(meters.registry(), charted));
             Dashboard dashboard = Dashboard.start(app.metrics(), charted);
             HttpEndpoint http = HttpEndpoint.start(config.http(), meters, dashboard, app::unhealthy, app::notReady)) {
            String url = http.url().orElseThrow();
            app.start();
            Thread producer = new Thread(() -> produce(kafka, input, flowing), "dashboard-test-producer");
            producer.start();
            try {
                // Enough history for lines: a few seconds of samples after forecasts are being scored.
                awaitTrue(() -> app.metrics().scoredForecasts() > 200, "forecasts scored");
                Thread.sleep(2000);

                try (HeadlessChromium browser = HeadlessChromium.open(chromium, url, dir.resolve("chromium"))) {
                    awaitTrue(() -> browser.evaluate("document.querySelectorAll('.chart canvas').length",
                            Duration.ofSeconds(10)).asInt() == 5 + CHARTED.size(), "the page's charts exist");
                    Thread.sleep(1500); // a redraw with data after creation

                    // While records flow: drawn charts, and counters between the scrapes around the page's.
                    String before = scrape(url);
                    Thread.sleep(2500);
                    List<DashboardPage.Chart> charts = DashboardPage.charts(browser);
                    JsonNode figures = DashboardPage.figures(browser);
                    String after = scrape(url);
                    LOG.info("while records flow: charts {}; figures {}", charts, figures);
                    assertDrawn(charts);
                    for (String[] figure : new String[][] {{"records", "streamgru_records_total"},
                            {"deadLetters", "streamgru_dead_letters_total"}, {"modelVersion", "streamgru_model_version"}}) {
                        assertThat(count(figures, figure[0])).as("%s on the page, between two scrapes", figure[0])
                                .isBetween(sum(before, figure[1]), sum(after, figure[1]));
                    }
                    assertThat(count(figures, "records")).as("records flowed").isGreaterThan(0);
                    assertThat(count(figures, "deadLetters")).as("the bad readings").isPositive();

                    // Flow stopped and meters settled: every figure equals /metrics.
                    flowing.set(false);
                    producer.join(10_000);
                    String settled = awaitSettled(url);
                    Thread.sleep(2500);
                    JsonNode last = DashboardPage.figures(browser);
                    LOG.info("settled: figures {}; /metrics {}", last, settled.lines()
                            .filter(l -> l.startsWith("streamgru_records_total") || l.startsWith("streamgru_rolling_mae")
                                    || l.startsWith("streamgru_model_version ")).toList());
                    assertThat(scrape(url)).as("meters settled").isEqualTo(withoutJvm(settled));
                    assertThat(count(last, "records")).isEqualTo(sum(settled, "streamgru_records_total"));
                    assertThat(count(last, "deadLetters")).isEqualTo(sum(settled, "streamgru_dead_letters_total"));
                    assertThat(count(last, "modelVersion")).isEqualTo(sum(settled, "streamgru_model_version"));
                    for (String[] mae : new String[][] {{"modelMae", "model"}, {"persistenceMae", "persistence"}}) {
                        double metric = sum(settled, "streamgru_rolling_mae{forecaster=\"" + mae[1] + "\"}");
                        assertThat(metric).isPositive();
                        assertThat(Double.parseDouble(last.path(mae[0]).asText())).as(mae[0])
                                .isCloseTo(metric, within(metric * 5e-4));
                    }
                }
            } finally {
                flowing.set(false);
                producer.join(10_000);
            }
        }
    }

    /** Every chart has coloured pixels: the instance's five and one per charted key. */
    private static void assertDrawn(List<DashboardPage.Chart> charts) {
        assertThat(charts).hasSize(5 + CHARTED.size());
        for (DashboardPage.Chart chart : charts) {
            assertThat(chart.coloured()).as("coloured pixels of chart %s %s", chart.name(), chart.key())
                    .isGreaterThanOrEqualTo(DRAWN);
        }
        assertThat(charts).extracting(DashboardPage.Chart::key).as("charted keys").containsAll(CHARTED);
    }

    /** Six sensors, 4 steps every 250 ms (~100 records/s), and a reading the learner must refuse each second. */
    private static void produce(KafkaTestCluster kafka, String topic, AtomicBoolean flowing) {
        Map<String, Object> producerConfig = new HashMap<>(kafka.clientConfig());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int step = 0; flowing.get(); step += 4) {
                for (KeyValue<byte[], byte[]> r : SensorReadings.json(6, step, step + 4)) {
                    producer.send(new ProducerRecord<>(topic, r.key, r.value));
                }
                if (step % 16 == 0) {
                    producer.send(new ProducerRecord<>(topic, "sensor-0".getBytes(StandardCharsets.UTF_8),
                            "{\"load\":\"high\",\"temperature\":20}".getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String scrape(String url) throws Exception {
        return withoutJvm(client.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** StreamGRU's own series only (the JVM's and Kafka's move on their own). */
    private static String withoutJvm(String scrape) {
        return String.join("\n", scrape.lines().filter(l -> l.startsWith("streamgru_")).toList());
    }

    /** {@code /metrics} once StreamGRU's series are the same on two scrapes a second apart. */
    private String awaitSettled(String url) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String previous = scrape(url);
        while (true) {
            Thread.sleep(1000);
            String now = scrape(url);
            // Decaying maxima and the optimizer's timer may still move; the figures compared may not.
            if (now.equals(previous)) {
                return now;
            }
            assertThat(System.nanoTime()).as("meters settle within %s", WAIT).isLessThan(deadline);
            previous = now;
        }
    }

    /** The sum of the series whose name (with labels, if given) starts with {@code series}. */
    private static double sum(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
            found = true;
        }
        assertThat(found).as("%s in /metrics", series).isTrue();
        return total;
    }

    private static double count(JsonNode figures, String id) {
        return DashboardPage.number(figures, id);
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.holds()) {
            assertThat(System.nanoTime()).as("%s within %s", what, WAIT).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }
}
