package io.streamgru.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.streamgru.app.dashboard.Dashboard;
import java.io.IOException;

/** {@code /api/series}: the dashboard's JSON document (meters' history, charted keys, current figures). */
final class SeriesHandler implements HttpHandler {

    static final String PATH = "/api/series";

    private final Dashboard dashboard;

    SeriesHandler(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Responses.rejected(exchange, PATH)) {
            return;
        }
        Responses.send(exchange, 200, "application/json", dashboard.json());
    }
}
