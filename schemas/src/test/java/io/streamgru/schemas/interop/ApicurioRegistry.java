package io.streamgru.schemas.interop;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (the Maven Central distribution that the build unpacks into
 * {@code target/apicurio}), started as a separate process on a free loopback port.
 *
 * <p>As a JUnit extension it starts one registry per test run, however many test classes ask for
 * it (JUnit's root store owns it and stops it when the run ends): the registry takes seconds to
 * start and ~200 MB, so classes share it. Test methods receive it as a parameter.
 */
public final class ApicurioRegistry implements ExtensionContext.Store.CloseableResource, AutoCloseable, ParameterResolver {

    /** Apicurio's Confluent-compatible API, relative to its base URL. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private Process process;
    private int port;
    private Duration startTime;
    private Path log;

    /** For JUnit: the instance registered with {@code @ExtendWith} only resolves parameters. */
    public ApicurioRegistry() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ApicurioRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(ApicurioRegistry.class))
                .getOrComputeIfAbsent("registry", key -> startNew(), ApicurioRegistry.class);
    }

    private static ApicurioRegistry startNew() {
        ApicurioRegistry registry = new ApicurioRegistry();
        registry.start();
        return registry;
    }

    /** The ccompat base URL, for {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    /** How long the registry took from process start to its first successful answer. */
    public Duration startTime() {
        return startTime;
    }

    private void start() {
        Path home = Path.of(System.getProperty("streamgru.apicurio.home", "target/apicurio"));
        Path runner = findRunner(home);
        port = freePort();
        log = home.resolveSibling("apicurio-" + port + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", runner.toString());
        long started = System.nanoTime();
        try {
            process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apicurio: " + command, e);
        }
        awaitReady();
        startTime = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("Apicurio Registry ready at %s in %d ms (log: %s)%n", url(), startTime.toMillis(), log);
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio exited with " + process.exitValue() + " before it was ready; "
                        + "see " + log + ":\n" + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for Apicurio", e);
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("Apicurio not ready at " + url() + " within " + READY_TIMEOUT.toSeconds()
                + " s; see " + log + ":\n" + tail());
    }

    /** Stops the process: politely, then forcibly. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path findRunner(Path home) {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + home.toAbsolutePath()
                    + ": the build's unpack-apicurio step (maven-dependency-plugin, phase process-test-resources) "
                    + "puts it there; run the tests through Maven");
        }
        try (Stream<Path> files = Files.walk(home, 3)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar under " + home.toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
