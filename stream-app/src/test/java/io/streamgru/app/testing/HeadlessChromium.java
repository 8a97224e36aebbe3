package io.streamgru.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, showing one page, driven over the Chrome DevTools protocol
 * (a {@code java.net.http} WebSocket): {@link #evaluate} runs JavaScript in the page as a user's
 * browser would. Absent unless installed ({@code apt-get install -y chromium}).
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final Path log;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, Path log, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.log = log;
        this.socket = socket;
    }

    /** {@code chromium} from the {@code PATH}, if installed. */
    public static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "chromium");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code chromium} for a test: skips the test with the reason when it is not installed, or fails
     * it when {@code CI_REQUIRE_CHROMIUM=1} (as on CI, where {@code .ci/run} installs it).
     */
    public static Path forTest() {
        Optional<Path> chromium = find();
        if (chromium.isEmpty() && "1".equals(System.getenv("CI_REQUIRE_CHROMIUM"))) {
            throw new AssertionError("CI_REQUIRE_CHROMIUM=1 but chromium is not installed (apt-get install -y chromium)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(chromium.isPresent(),
                "chromium is not installed (apt-get install -y chromium)");
        return chromium.orElseThrow();
    }

    /**
     * Starts {@code chromium --headless --disable-gpu --no-sandbox} on {@code url} with its profile in
     * {@code profile} (an empty directory) and connects to the page over DevTools.
     */
    public static HeadlessChromium open(Path executable, String url, Path profile) throws Exception {
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(executable.toString(), "--headless", "--disable-gpu",
                "--no-sandbox", "--no-first-run", "--disable-extensions", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=1400,2400", "--user-data-dir=" + profile, url))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String devtools = "http://127.0.0.1:" + devToolsPort(process, profile, log);
            String pageSocket = null;
            long deadline = System.nanoTime() + START.toNanos();
            while (pageSocket == null) {
                JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(devtools + "/json/list"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode target : targets) {
                    if ("page".equals(target.path("type").asText())) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    check(System.nanoTime() < deadline, "no page target", log);
                    Thread.sleep(100);
                }
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                        self[0].received(message.toString());
                        message.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, profile, log, socket);
            return self[0];
        } catch (Exception | AssertionError e) {
            stop(process);
            throw e;
        }
    }

    private static int devToolsPort(Process process, Path profile, Path log) throws Exception {
        // Chromium writes the port it chose to DevToolsActivePort in its profile directory.
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            check(process.isAlive(), "chromium exited with " + (process.isAlive() ? "" : process.exitValue()), log);
            check(System.nanoTime() < deadline, "chromium wrote no DevToolsActivePort within " + START, log);
            Thread.sleep(100);
        }
    }

    private static void check(boolean ok, String what, Path log) throws IOException {
        if (!ok) {
            throw new AssertionError(what + "; its output:\n" + (Files.exists(log) ? Files.readString(log) : ""));
        }
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> reply = replies.remove(message.get("id").asInt());
                if (reply != null) {
                    reply.complete(message);
                }
            }
        } catch (IOException e) {
            replies.values().forEach(r -> r.completeExceptionally(e));
        }
    }

    /**
     * Evaluates {@code expression} in the page (awaiting it if it is a promise) and returns its value
     * as JSON; a JavaScript exception fails with its description.
     */
    public JsonNode evaluate(String expression, Duration timeout) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        ObjectNode call = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
        call.putObject("params").put("expression", expression).put("awaitPromise", true).put("returnByValue", true);
        socket.sendText(JSON.writeValueAsString(call), true).get(10, TimeUnit.SECONDS);
        JsonNode answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (answer.has("error")) {
            throw new AssertionError("DevTools: " + answer.get("error"));
        }
        JsonNode result = answer.path("result");
        if (result.has("exceptionDetails")) {
            throw new AssertionError("the page threw: " + result.path("exceptionDetails").path("exception")
                    .path("description").asText(result.path("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    /** What chromium printed (for a failure's message). */
    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        socket.abort();
        // Its singleton socket lives in a directory of its own under /tmp, linked from the profile.
        Path singleton = profile.resolve("SingletonSocket");
        Path socketDir = null;
        try {
            socketDir = Files.isSymbolicLink(singleton) ? Files.readSymbolicLink(singleton).getParent() : null;
        } catch (IOException e) {
            // no link: nothing to remove
        }
        stop(process);
        if (socketDir != null && socketDir.getFileName().toString().startsWith("org.chromium.")) {
            try (var files = Files.walk(socketDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // gone already
            }
        }
    }

    /** Stops chromium and the processes it started (zygote, renderer, GPU and utility processes). */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
