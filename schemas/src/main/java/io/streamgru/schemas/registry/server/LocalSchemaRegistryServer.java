package io.streamgru.schemas.registry.server;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.streamgru.schemas.registry.memory.InMemorySchemaRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Schema Registry reachable over HTTP, for demos and tests: the Confluent REST subset
 * ({@code POST /subjects/{s}/versions}, {@code POST /subjects/{s}}, {@code GET /schemas/ids/{id}},
 * {@code GET /subjects}, {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}},
 * {@code GET|PUT /config}, {@code GET|PUT /config/{s}}) over an {@link InMemorySchemaRegistry},
 * which {@code mock://} clients in the same JVM may share (see
 * {@link io.streamgru.schemas.registry.memory.MockRegistries#put}).
 *
 * <pre>{@code
 * try (LocalSchemaRegistryServer server = LocalSchemaRegistryServer.builder().start()) {
 *     String url = server.url();   // http://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>Listens on the loopback interface unless told otherwise; optional basic auth (401 with error
 * code 40101 otherwise). Two worker threads: enough for a demo, and it never competes for the
 * machine. Not a production registry: state is lost on close.
 */
public final class LocalSchemaRegistryServer implements AutoCloseable {

    private final InMemorySchemaRegistry registry;
    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicLong requests = new AtomicLong();

    private LocalSchemaRegistryServer(Builder builder) {
        this.registry = builder.registry;
        try {
            this.server = HttpServer.create(new InetSocketAddress(builder.host, builder.port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + builder.host + ":" + builder.port, e);
        }
        this.workers = Executors.newFixedThreadPool(2, new DaemonThreads());
        server.setExecutor(workers);
        HttpContext context = server.createContext("/", new RegistryRequestHandler(registry));
        context.getFilters().add(new CountingFilter(requests));
        builder.basicAuth.ifPresent(userInfo -> context.getFilters().add(new BasicAuthFilter(userInfo)));
        server.start();
    }

    /** Options for a new server; {@link Builder#start()} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:38291}, for {@code schema.registry.url}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The store this server serves. */
    public InMemorySchemaRegistry registry() {
        return registry;
    }

    /** HTTP requests received so far, including rejected ones (lets tests prove a cache hit). */
    public long requestCount() {
        return requests.get();
    }

    /** Stops listening at once and ends the worker threads. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    /** Options of a {@link LocalSchemaRegistryServer}. */
    public static final class Builder {
        private InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        private String host = "127.0.0.1";
        private int port = 0;
        private Optional<String> basicAuth = Optional.empty();

        private Builder() {
        }

        /** Serve this store (default: a new, empty one). */
        public Builder registry(InMemorySchemaRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Interface to listen on (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Port to listen on; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Require basic auth with these credentials. */
        public Builder basicAuth(String user, String password) {
            this.basicAuth = Optional.of(user + ":" + password);
            return this;
        }

        /** Starts the server. */
        public LocalSchemaRegistryServer start() {
            return new LocalSchemaRegistryServer(this);
        }
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "local-schema-registry-" + count.incrementAndGet());
            // Daemon: a demo that forgets close() must still be able to exit.
            thread.setDaemon(true);
            return thread;
        }
    }
}
