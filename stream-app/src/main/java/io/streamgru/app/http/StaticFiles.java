package io.streamgru.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Files shipped in the jar, served at fixed paths: the dashboard page and its assets (uPlot from
 * its webjar, the page's own script). Read once at start; any other path under the context is 404.
 */
final class StaticFiles implements HttpHandler {

    /** A file to serve: where it is on the class path, and its content type. */
    record File(String resource, String contentType) {
    }

    private record Loaded(String body, String contentType) {
    }

    private final Map<String, Loaded> files;

    StaticFiles(Map<String, File> byPath) {
        this.files = byPath.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> new Loaded(read(e.getValue().resource()), e.getValue().contentType())));
    }

    private static String read(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Loaded file = files.get(path);
        if (file == null) {
            Responses.text(exchange, 404, "not found: " + path);
            return;
        }
        if (Responses.rejected(exchange, path)) {
            return;
        }
        Responses.send(exchange, 200, file.contentType(), file.body());
    }
}
