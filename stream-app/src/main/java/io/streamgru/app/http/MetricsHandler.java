package io.streamgru.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.streamgru.app.metrics.PrometheusMeters;
import java.io.IOException;

/** {@code /metrics}: every meter, in Prometheus' text format or, when the Accept header asks for it, OpenMetrics. */
final class MetricsHandler implements HttpHandler {

    static final String PATH = "/metrics";

    private final PrometheusMeters meters;

    MetricsHandler(PrometheusMeters meters) {
        this.meters = meters;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Responses.rejected(exchange, PATH)) {
            return;
        }
        PrometheusMeters.Scrape scrape = meters.scrape(exchange.getRequestHeaders().getFirst("Accept"));
        Responses.send(exchange, 200, scrape.contentType(), scrape.body());
    }
}
