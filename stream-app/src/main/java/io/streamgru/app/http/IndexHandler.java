package io.streamgru.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** {@code /}: a page linking the endpoints (where the dashboard will live); 404 for any other unknown path. */
final class IndexHandler implements HttpHandler {

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>StreamGRU</title></head>
            <body><h1>StreamGRU</h1><ul>
            <li><a href="metrics">/metrics</a>: meters in Prometheus' text format</li>
            <li><a href="health">/health</a>: 200 while the application is alive</li>
            <li><a href="ready">/ready</a>: 200 while it processes with a model</li>
            </ul></body></html>
            """;

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Responses.rejected(exchange, "/")) {
            return;
        }
        Responses.send(exchange, 200, "text/html; charset=utf-8", PAGE);
    }
}
