package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.http.HttpEndpoint;
import io.streamgru.app.metrics.PrometheusMeters;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running instance on a real broker, asked over HTTP as Prometheus and an orchestrator ask it:
 * /health while it lives and not once it shuts down, /ready only once it processes with a model,
 * and /metrics with StreamGRU's, Kafka Streams' and the JVM's series, agreeing with the meters the
 * live view and the status line read, and never a series per key.
 */
@WithKafka
class HealthAndMetricsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void healthReadinessAndMetricsFollowTheApplicationFromStartToShutdown(KafkaTestCluster kafka) throws Exception {
        String input = kafka.newTopic("http-in", 2);
        Map<String, String> settings = TestSettings.sensorApp(kafka, "http-" + System.nanoTime(), input, stateDir);
        settings.put("learner.hidden", "8");
        settings.put("learner.chunk", "8");
        settings.put("learner.window", "16");
        settings.put("streaming.gradient.flush.ms", "500");
        settings.put("http.port", "0");
        settings.put("http.bind", "127.0.0.1");
        StreamGruConfig config = TestSettings.config(settings);
        List<KeyValue<byte[], byte[]>> readings = new ArrayList<>(SensorReadings.json(6, 0, 200));
        readings.add(KeyValue.pair("sensor-0".getBytes(StandardCharsets.UTF_8),
                "{\"load\":\"high\",\"temperature\":20}".getBytes(StandardCharsets.UTF_8)));

        try (PrometheusMeters meters = new PrometheusMeters();
             StreamGruApp app = new StreamGruApp(config, new StreamGruMetrics(meters.registry()));
             HttpEndpoint http = HttpEndpoint.start(config.http(), meters, app::unhealthy, app::notReady)) {
            String url = http.url().orElseThrow();
            // Not started yet: alive, not ready.
            assertThat(get(url + "health").statusCode()).isEqualTo(200);
            assertThat(get(url + "ready")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).isEqualTo("Kafka Streams state is CREATED\n");
            });

            app.start();
            kafka.produce(input, readings);
            awaitStatus(url + "ready", 200);
            assertThat(app.metrics().modelLoaded()).isTrue();
            kafka.consume(config.output().topic(), readings.size() - 1, WAIT); // every valid reading forecast

            StreamGruMetrics metrics = app.metrics();
            String body = awaitMetrics(url, "streamgru_records_total", readings.size());
            assertThat(value(body, "streamgru_records_total")).hasValue(metrics.records());
            assertThat(value(body, "streamgru_forecasts_total").orElseThrow()).isGreaterThanOrEqualTo(readings.size() - 1);
            assertThat(value(body, "streamgru_dead_letters_total{reason=\"NON_NUMERIC\"}")).hasValue(1);
            assertThat(value(body, "streamgru_dead_letters_total{reason=\"CORRUPT\"}")).hasValue(0);
            assertThat(value(body, "streamgru_keys")).hasValue(6);
            assertThat(value(body, "streamgru_forecasts_scored_total").orElseThrow()).isPositive();
            assertThat(value(body, "streamgru_rolling_mae{forecaster=\"model\"}").orElseThrow()).isFinite().isPositive();
            assertThat(value(body, "streamgru_rolling_mae{forecaster=\"persistence\"}").orElseThrow()).isFinite()
                    .isPositive();
            assertThat(body).contains("streamgru_model_version ", "streamgru_model_version_lag ",
                    "streamgru_gradient_batches_sent_total ", "streamgru_gradient_batches_received_total{outcome=\"applied\"}",
                    "streamgru_optimizer_step_seconds_count ", "streamgru_drift_detections_total ",
                    "streamgru_learner_chunks_capped_total ",
                    "jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
                    "process_cpu_usage ", "kafka_stream_");
            // Kafka Streams' client metrics of both applications: the learners' and the optimizer's.
            assertThat(body).contains("client_id=\"" + config.appId() + "-", "client_id=\"" + config.optimizerAppId() + "-");
            // A series per key would make a million keys a million series: no key appears in any series.
            assertThat(body.lines().filter(l -> !l.startsWith("#")).filter(l -> l.contains("sensor-")).toList())
                    .as("series naming a key").isEmpty();

            app.close();
            assertThat(get(url + "health")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).isEqualTo("shutting down\n");
            });
            assertThat(get(url + "ready").statusCode()).isEqualTo(503);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String url, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> last = get(url);
        while (last.statusCode() != status) {
            assertThat(System.nanoTime()).as("%s answers %d within %s; last: %d %s", url, status, WAIT,
                    last.statusCode(), last.body()).isLessThan(deadline);
            Thread.sleep(200);
            last = get(url);
        }
    }

    /** /metrics once {@code series} has reached {@code atLeast}, read twice in a row with the same value (settled). */
    private String awaitMetrics(String url, String series, long atLeast) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String previous = "";
        while (true) {
            String body = get(url + "metrics").body();
            OptionalDouble v = value(body, series);
            if (v.isPresent() && v.getAsDouble() >= atLeast && value(previous, series).equals(v)) {
                return body;
            }
            assertThat(System.nanoTime()).as("%s >= %d within %s", series, atLeast, WAIT).isLessThan(deadline);
            previous = body;
            Thread.sleep(500);
        }
    }

    /** The value of one series (name with its labels, as printed) in a Prometheus text scrape. */
    static OptionalDouble value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }
}
