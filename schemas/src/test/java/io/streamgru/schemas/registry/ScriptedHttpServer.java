package io.streamgru.schemas.registry;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that answers from a script (status + body per request, the last one
 * repeating) and records what it was asked: for failure modes a real registry will not produce on
 * demand (503s, proxies' HTML, flapping).
 */
final class ScriptedHttpServer implements AutoCloseable {

    record Reply(int status, String body) {
    }

    private final HttpServer server;
    private final List<Reply> script;
    private final AtomicInteger served = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();

    ScriptedHttpServer(Reply... script) {
        this.script = List.of(script);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(auth == null ? "" : auth);
                exchange.getRequestBody().readAllBytes();
                int index = Math.min(served.getAndIncrement(), this.script.size() - 1);
                Reply reply = this.script.get(index);
                byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requestCount() {
        return requests.size();
    }

    List<String> requests() {
        return new ArrayList<>(requests);
    }

    List<String> authorizations() {
        return new ArrayList<>(authorizations);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
