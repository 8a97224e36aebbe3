package io.streamgru.app.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.dashboard.Dashboard;
import io.streamgru.app.metrics.PrometheusMeters;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint of a running instance ({@code http.*} settings): {@code /metrics} (Prometheus
 * text format, or OpenMetrics on request), {@code /health} (200 while alive, 503 when Kafka Streams
 * is in ERROR or the instance shuts down), {@code /ready} (200 only while processing with a model,
 * else 503 and why) and {@code /}, the live dashboard ({@link Dashboard}; uPlot and the page's script
 * are served from the jar under {@code /assets/}, its data at {@code /api/series}). With {@code http.auth.user}, {@code /metrics} and {@code /} need
 * basic authentication; {@code /health} and {@code /ready} stay open for orchestrators' probes (they
 * tell only "ok" or a state). With {@code http.tls.keystore} it speaks HTTPS only.
 *
 * <p>Why the JDK's {@code com.sun.net.httpserver} and not Javalin 7: four small GET endpoints and
 * one page need no routing, templating or JSON mapping; the JDK server brings basic authentication
 * ({@link com.sun.net.httpserver.BasicAuthenticator}) and TLS ({@link HttpsServer}) with nothing added to
 * the jar, while Javalin brings Jetty 12 (several MB, its own thread pools and logging) for no
 * feature used here. It is a supported, exported JDK module ({@code jdk.httpserver}). Requests are
 * served by two daemon threads: a scrape takes milliseconds, and the endpoint must never compete
 * with the stream threads.
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final int THREADS = 2;
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final StaticFiles.File DASHBOARD_PAGE =
            new StaticFiles.File("io/streamgru/app/http/dashboard.html", "text/html; charset=utf-8");
    private static final Map<String, StaticFiles.File> ASSETS = Map.of(
            "/assets/uplot.min.js", new StaticFiles.File(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/assets/uplot.min.css", new StaticFiles.File(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"),
            "/assets/dashboard.js",
            new StaticFiles.File("io/streamgru/app/http/dashboard.js", "text/javascript; charset=utf-8"));

    private final HttpServer server;
    private final ExecutorService executor;
    private final String scheme;
    /** The host as configured: a wildcard stays 0.0.0.0 (the JDK reports a dual-stack socket's as ::). */
    private final String host;

    private HttpEndpoint(HttpServer server, ExecutorService executor, String scheme, String host) {
        this.server = server;
        this.executor = executor;
        this.scheme = scheme;
        this.host = host;
    }

    /** No endpoint ({@code http.port} = -1). */
    public static HttpEndpoint none() {
        return new HttpEndpoint(null, null, null, null);
    }

    /**
     * Starts the endpoint the settings describe (or {@link #none()} when {@code http.port} is -1).
     * A port in use is the environment's fault ({@link EnvironmentException}); a key store that cannot
     * be read is a settings mistake.
     */
    public static HttpEndpoint start(StreamGruConfig.Http settings, PrometheusMeters meters, Probe health,
                                     Probe readiness) {
        return start(settings, meters, null, health, readiness);
    }

    /**
     * Starts the endpoint with the dashboard at {@code /} (its data at {@code /api/series}, its
     * scripts under {@code /assets/}); without a dashboard ({@code null}), {@code /} links the endpoints.
     */
    public static HttpEndpoint start(StreamGruConfig.Http settings, PrometheusMeters meters, Dashboard dashboard,
                                     Probe health, Probe readiness) {
        if (!settings.enabled()) {
            return none();
        }
        if (settings.authenticates() && !settings.tls()) {
            LOG.warn("http.auth.user is set without http.tls.keystore: basic-auth passwords travel unencrypted");
        }
        HttpServer server = bind(settings);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        Authenticator auth = settings.authenticates() ? new PasswordCheck(settings.user(), settings.password()) : null;
        protect(server.createContext(MetricsHandler.PATH, new MetricsHandler(meters)), auth);
        if (dashboard == null) {
            protect(server.createContext("/", new IndexHandler()), auth);
        } else {
            protect(server.createContext("/", new StaticFiles(Map.of("/", DASHBOARD_PAGE))), auth);
            protect(server.createContext("/assets/", new StaticFiles(ASSETS)), auth);
            protect(server.createContext(SeriesHandler.PATH, new SeriesHandler(dashboard)), auth);
        }
        server.createContext("/health", new ProbeHandler("/health", health));
        server.createContext("/ready", new ProbeHandler("/ready", readiness));
        server.start();
        return new HttpEndpoint(server, executor, settings.tls() ? "https" : "http", settings.bind());
    }

    private static HttpServer bind(StreamGruConfig.Http settings) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(settings.bind()), settings.port());
            if (!settings.tls()) {
                return HttpServer.create(address, 0);
            }
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(
                    TlsContext.of(settings.keystore(), settings.keystorePassword())));
            return https;
        } catch (BindException e) {
            throw new EnvironmentException("http.port " + settings.port() + " on " + settings.bind() + " is not free ("
                    + e.getMessage() + "): choose another with http.port (0: a free one, -1: no HTTP endpoint)", e);
        } catch (IOException e) {
            throw new EnvironmentException("cannot listen on " + settings.bind() + ":" + settings.port() + " ("
                    + e.getMessage() + "): check http.bind and http.port", e);
        }
    }

    private static void protect(HttpContext context, Authenticator auth) {
        if (auth != null) {
            context.setAuthenticator(auth);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "streamgru-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The port it listens on (the chosen one when {@code http.port} was 0); -1 without an endpoint. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** Its base URL, e.g. {@code http://127.0.0.1:8080/}; empty without an endpoint. */
    public Optional<String> url() {
        if (server == null) {
            return Optional.empty();
        }
        return Optional.of(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
