package io.streamgru.app.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a whole response, and the answers every handler shares (wrong path, wrong method). */
final class Responses {

    private Responses() {
    }

    /** Sends {@code body} with {@code status} (headers only for HEAD) and closes the exchange. */
    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    static void text(HttpExchange exchange, int status, String line) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", line + "\n");
    }

    /**
     * Answers a request that is not for {@code path} exactly (404) or not a GET or HEAD (405), and
     * says whether it did: a context also receives the paths below its own.
     */
    static boolean rejected(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            text(exchange, 404, "not found: " + exchange.getRequestURI().getPath());
            return true;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            text(exchange, 405, "method " + method + " not allowed: GET or HEAD");
            return true;
        }
        return false;
    }
}
