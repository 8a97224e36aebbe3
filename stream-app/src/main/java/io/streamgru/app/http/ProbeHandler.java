package io.streamgru.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Optional;

/** {@code /health} or {@code /ready}: 200 {@code ok} while the probe finds nothing wrong, else 503 and its one-line reason. */
final class ProbeHandler implements HttpHandler {

    private final String path;
    private final Probe probe;

    ProbeHandler(String path, Probe probe) {
        this.path = path;
        this.probe = probe;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Responses.rejected(exchange, path)) {
            return;
        }
        Optional<String> problem;
        try {
            problem = probe.problem();
        } catch (RuntimeException e) { // a probe that cannot answer is a problem, not a 500 without a reason
            problem = Optional.of("cannot tell: " + e);
        }
        if (problem.isPresent()) {
            Responses.text(exchange, 503, problem.get());
        } else {
            Responses.text(exchange, 200, "ok");
        }
    }
}
