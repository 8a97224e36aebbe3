package io.streamgru.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;

/**
 * The meter registry of one StreamGRU process, in Prometheus' exposition formats, with the JVM's
 * meters bound (memory, garbage collection, threads, class loading, CPU, uptime). StreamGRU's own
 * meters and Kafka Streams' client metrics are bound to {@link #registry()} by those who own them.
 * Created by a command and passed on through constructors: no global registry.
 */
public final class PrometheusMeters implements AutoCloseable {

    /** Prometheus' text format, the default. */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics, for a scraper that asks for it in its Accept header. */
    public static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** A scrape: the meters in one format. */
    public record Scrape(String contentType, String body) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public PrometheusMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Every meter, in OpenMetrics if {@code accept} (a request's Accept header, may be null) asks
     * for it, else in Prometheus' text format 0.0.4.
     */
    public Scrape scrape(String accept) {
        String type = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
                ? OPEN_METRICS : TEXT_FORMAT;
        return new Scrape(type, registry.scrape(type));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
