package io.streamgru.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.streamgru.app.config.ConfigException;
import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.dashboard.Dashboard;
import io.streamgru.app.dashboard.WatchedKeys;
import io.streamgru.app.topology.StreamGruMetrics;
import io.streamgru.app.metrics.PrometheusMeters;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoint served by the JDK's server and asked by the JDK's HTTP client: what each path
 * answers, the formats /metrics speaks, basic authentication and TLS.
 */
class HttpEndpointTest {

    @TempDir
    Path dir;

    private final PrometheusMeters meters = new PrometheusMeters();
    private final AtomicReference<String> healthProblem = new AtomicReference<>();
    private final AtomicReference<String> readinessProblem = new AtomicReference<>("Kafka Streams state is REBALANCING");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void closeMeters() {
        meters.close();
    }

    private HttpEndpoint start(StreamGruConfig.Http settings) {
        return HttpEndpoint.start(settings, meters, () -> Optional.ofNullable(healthProblem.get()),
                () -> Optional.ofNullable(readinessProblem.get()));
    }

    private static StreamGruConfig.Http plain() {
        return new StreamGruConfig.Http("127.0.0.1", 0, null, null, null, "");
    }

    private HttpResponse<String> get(HttpClient http, String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreServedInPrometheusTextFormatAndInOpenMetricsWhenAsked() throws Exception {
        Counter records = Counter.builder("streamgru.records").register(meters.registry());
        records.increment(42);
        try (HttpEndpoint endpoint = start(plain())) {
            String url = endpoint.url().orElseThrow();
            assertThat(url).isEqualTo("http://127.0.0.1:" + endpoint.port() + "/");

            HttpResponse<String> text = get(client, url + "metrics");
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(text.body()).contains("streamgru_records_total 42.0", "jvm_memory_used_bytes{",
                    "jvm_threads_live_threads", "process_cpu_usage");

            HttpResponse<String> open = get(client, url + "metrics", "Accept",
                    "application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;q=0.5");
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.headers().firstValue("Content-Type")).hasValue(PrometheusMeters.OPEN_METRICS);
            assertThat(open.body()).contains("streamgru_records_total 42.0").endsWith("# EOF\n");
        }
    }

    @Test
    void healthAndReadinessAnswer200WhileTheirProbesFindNothingAnd503WithTheReasonOtherwise() throws Exception {
        try (HttpEndpoint endpoint = start(plain())) {
            String url = endpoint.url().orElseThrow();
            assertThat(get(client, url + "health")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("ok\n");
            });
            assertThat(get(client, url + "ready")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).isEqualTo("Kafka Streams state is REBALANCING\n");
            });

            readinessProblem.set(null);
            assertThat(get(client, url + "ready").statusCode()).isEqualTo(200);

            healthProblem.set("shutting down");
            assertThat(get(client, url + "health")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).isEqualTo("shutting down\n");
            });
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethodsThanGetAre405() throws Exception {
        try (HttpEndpoint endpoint = start(plain())) {
            String url = endpoint.url().orElseThrow();
            assertThat(get(client, url + "metrics/extra").statusCode()).isEqualTo(404);
            assertThat(get(client, url + "nothing-here").statusCode()).isEqualTo(404);
            assertThat(get(client, url).statusCode()).isEqualTo(200);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(url + "metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void withBasicAuthMetricsNeedTheCredentialsWhileProbesStayOpen() throws Exception {
        StreamGruConfig.Http settings = new StreamGruConfig.Http("127.0.0.1", 0, "prometheus", "s3cret", null, "");
        try (HttpEndpoint endpoint = start(settings)) {
            String url = endpoint.url().orElseThrow();
            HttpResponse<String> anonymous = get(client, url + "metrics");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Basic realm=\"streamgru\""));
            assertThat(get(client, url + "metrics", "Authorization", basic("prometheus", "wrong")).statusCode())
                    .isEqualTo(401);
            assertThat(get(client, url + "metrics", "Authorization", basic("someone", "s3cret")).statusCode())
                    .isEqualTo(401);
            assertThat(get(client, url, "Authorization", basic("prometheus", "wrong")).statusCode()).isEqualTo(401);
            assertThat(get(client, url + "metrics", "Authorization", basic("prometheus", "s3cret")).statusCode())
                    .isEqualTo(200);
            assertThat(get(client, url + "health").statusCode()).isEqualTo(200);
            assertThat(get(client, url + "ready").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void withAKeyStoreItSpeaksHttpsOnlyAndAClientTrustingTheCertificateGetsTheMetrics() throws Exception {
        Path keyStore = selfSignedKeyStore("changeit");
        StreamGruConfig.Http settings = new StreamGruConfig.Http("127.0.0.1", 0, "prometheus", "s3cret",
                keyStore.toString(), "changeit");
        try (HttpEndpoint endpoint = start(settings)) {
            String url = endpoint.url().orElseThrow();
            assertThat(url).isEqualTo("https://127.0.0.1:" + endpoint.port() + "/");
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keyStore, "changeit"))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> metrics = get(trusting, url + "metrics", "Authorization", basic("prometheus", "s3cret"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes{");
            assertThat(get(trusting, url + "metrics").statusCode()).isEqualTo(401);

            // A client that does not trust the certificate, and plain HTTP, get nothing.
            assertThatThrownBy(() -> get(client, url + "health")).isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> get(client, "http://127.0.0.1:" + endpoint.port() + "/health"))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void aKeyStoreWithAnotherPasswordIsASettingsMistakeNamingTheSetting() throws Exception {
        Path keyStore = selfSignedKeyStore("changeit");
        StreamGruConfig.Http settings = new StreamGruConfig.Http("127.0.0.1", 0, null, null, keyStore.toString(),
                "not-the-password");
        assertThatThrownBy(() -> start(settings)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot use http.tls.keystore '" + keyStore + "' (")
                .hasMessageEndingWith("check the file and http.tls.keystore.password");
    }

    @Test
    void aPortInUseIsTheEnvironmentsFaultAndSaysWhichSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StreamGruConfig.Http settings = new StreamGruConfig.Http("127.0.0.1", taken.getLocalPort(), null, null,
                    null, "");
            assertThatThrownBy(() -> start(settings)).isInstanceOf(EnvironmentException.class)
                    .hasMessageStartingWith("http.port " + taken.getLocalPort() + " on 127.0.0.1 is not free (")
                    .hasMessageEndingWith("choose another with http.port (0: a free one, -1: no HTTP endpoint)");
        }
    }

    @Test
    void withADashboardTheRootIsItsPageAndItsScriptsAndDataComeFromTheJarBehindTheSameAuthentication()
            throws Exception {
        WatchedKeys keys = Dashboard.watch(List.of());
        StreamGruConfig.Http settings = new StreamGruConfig.Http("127.0.0.1", 0, "prometheus", "s3cret", null, "");
        try (Dashboard dashboard = Dashboard.start(new StreamGruMetrics(meters.registry(), keys), keys);
             HttpEndpoint endpoint = HttpEndpoint.start(settings, meters, dashboard, () -> Optional.empty(),
                     () -> Optional.empty())) {
            String url = endpoint.url().orElseThrow();
            String auth = basic("prometheus", "s3cret");
            HttpResponse<String> page = get(client, url, "Authorization", auth);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"assets/uplot.min.js\">", "<script src=\"assets/dashboard.js\">",
                    "id=\"records\"", "id=\"modelMae\"");
            HttpResponse<String> uplot = get(client, url + "assets/uplot.min.js", "Authorization", auth);
            assertThat(uplot.statusCode()).isEqualTo(200);
            assertThat(uplot.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(uplot.body()).contains("uPlot").hasSizeGreaterThan(40_000);
            assertThat(get(client, url + "assets/uplot.min.css", "Authorization", auth).statusCode()).isEqualTo(200);
            assertThat(get(client, url + "assets/dashboard.js", "Authorization", auth).body()).contains("api/series");
            HttpResponse<String> data = get(client, url + "api/series", "Authorization", auth);
            assertThat(data.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(data.body()).startsWith("{\"format\":1,");
            assertThat(get(client, url + "assets/other.js", "Authorization", auth).statusCode()).isEqualTo(404);
            assertThat(get(client, url + "elsewhere", "Authorization", auth).statusCode()).isEqualTo(404);
            assertThat(get(client, url).statusCode()).isEqualTo(401);
            assertThat(get(client, url + "api/series").statusCode()).isEqualTo(401);
            assertThat(get(client, url + "assets/dashboard.js").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void portMinusOneStartsNoEndpoint() {
        try (HttpEndpoint endpoint = start(new StreamGruConfig.Http("127.0.0.1", -1, null, null, null, ""))) {
            assertThat(endpoint.url()).isEmpty();
            assertThat(endpoint.port()).isEqualTo(-1);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A PKCS12 key store with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private Path selfSignedKeyStore(String password) throws Exception {
        Path keyStore = dir.resolve("endpoint.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "endpoint", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", password).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();
        assertThat(Files.size(keyStore)).isPositive();
        return keyStore;
    }

    /** A client TLS context that trusts the certificate in {@code keyStore} (and nothing else). */
    private static SSLContext trusting(Path keyStore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance(keyStore.toFile(), password.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
