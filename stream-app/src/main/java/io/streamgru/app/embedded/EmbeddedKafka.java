package io.streamgru.app.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster inside this JVM: one KRaft node in combined mode (broker and
 * controller in one), listening on {@code 127.0.0.1}, so that {@code streamgru demo} needs no
 * Kafka installation and external clients (kcat, Python) can connect to {@link #bootstrapServers()}.
 *
 * <p>The broker is configured by {@link SingleNodeBrokerSettings}: exactly-once processing works
 * on the one node, and records up to 16 MiB are accepted (topics still need
 * {@code max.message.bytes} raised, producers {@code max.request.size}). Its log dirs live in a
 * fresh temporary directory, deleted by {@link #close()}. The constructor returns once the broker
 * has registered with its controller and answers client requests.
 *
 * <h2>Why {@code KafkaRaftServer} and not the test kit</h2>
 * This class runs {@code kafka.server.KafkaRaftServer} (what {@code kafka-server-start.sh} runs)
 * after formatting storage with {@code kafka.tools.StorageTool.execute}. The alternative,
 * {@code org.apache.kafka.common.test.KafkaClusterTestKit}, is unsuitable for main code:
 * <ul>
 *   <li>it pre-binds its listener sockets on the wildcard address with an OS-chosen port and
 *       hands them to the broker whatever the {@code listeners} config says, so it can neither
 *       listen on 127.0.0.1 only nor on a fixed port for kcat or Python (checked with 4.3.1:
 *       given {@code EXTERNAL://127.0.0.1:19555} it listened on {@code *:36783}, yet its
 *       {@code bootstrapServers()} answered {@code localhost:19555});</li>
 *   <li>it enables unstable API and feature versions and swallows fatal faults into mock
 *       handlers: right for Kafka's own tests, wrong for a broker people run;</li>
 *   <li>it drags JUnit (runtime scope) and a {@code log4j2.yaml} that overrides the app's logging
 *       into the shaded jar.</li>
 * </ul>
 * Both are internal Kafka APIs without compatibility promises; this one is the production code
 * path. The price is choosing ports up front: the controller port (and the client port, when
 * asked for a free one) is found by binding port 0 and releasing it, so another process could
 * take it in between; the broker then fails to start with a bind error, never half-works.
 *
 * <p>Start-up takes 3–6 s in a fresh JVM on two cores, under 1 s for a second broker in the same
 * JVM ({@link #startupTime()}). {@link #close()} is idempotent.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Pass as the port to let the OS choose a free one. */
    public static final int FREE_PORT = 0;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path baseDirectory;
    private final KafkaRaftServer server;
    private final Admin admin;
    private final String bootstrapServers;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Starts a broker on a free port. */
    public EmbeddedKafka() {
        this(FREE_PORT);
    }

    /**
     * Starts a broker on {@code port} of 127.0.0.1.
     *
     * @param port the client port, or {@link #FREE_PORT} for one chosen by the OS
     * @throws IllegalStateException if the broker cannot start, e.g. because the port is taken
     */
    public EmbeddedKafka(int port) {
        this(port, Map.of());
    }

    /**
     * Starts a broker on {@code port} of 127.0.0.1 with extra broker configs.
     *
     * @param port the client port, or {@link #FREE_PORT} for one chosen by the OS
     * @param brokerConfigs {@code server.properties} entries that override the defaults
     * @throws IllegalStateException if the broker cannot start, e.g. because the port is taken
     */
    public EmbeddedKafka(int port, Map<String, String> brokerConfigs) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (free) or 1..65535, got " + port);
        }
        long start = System.nanoTime();
        int clientPort = port == FREE_PORT ? LoopbackPort.pickFree() : port;
        int controllerPort = LoopbackPort.pickFree();
        this.bootstrapServers = LOOPBACK + ":" + clientPort;
        this.baseDirectory = createTempDirectory();
        KafkaRaftServer started = null;
        Admin client = null;
        try {
            Properties config = serverConfig(clientPort, controllerPort, brokerConfigs);
            Path configFile = writeConfig(config);
            KraftStorage.format(configFile, Uuid.randomUuid().toString());
            started = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
            // Returns once the broker has caught up with the metadata log and is unfenced.
            started.startup();
            client = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
            awaitBrokerVisible(client);
            this.server = started;
            this.admin = client;
        } catch (RuntimeException | Error e) {
            // Errors too (a class missing from a badly shaded jar): no half-started broker or data left.
            if (client != null) {
                client.close(Duration.ZERO);
            }
            stopQuietly(started);
            deleteQuietly(baseDirectory);
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Kafka broker on " + bootstrapServers + " failed to start: "
                    + e.getMessage(), e);
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - start);
        LOG.info("Kafka {} broker listening on {} (started in {} ms, data in {})",
                AppInfoParser.getVersion(), bootstrapServers, startupTime.toMillis(), baseDirectory);
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How long the constructor took, from formatting storage to a broker that answers. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The temporary directory holding config and log dirs; gone after {@link #close()}. */
    public Path dataDirectory() {
        return baseDirectory;
    }

    /**
     * Creates a topic with replication factor 1 and returns once the broker serves it.
     *
     * @param name the topic name
     * @param partitions number of partitions, at least 1
     * @param configs topic configs, e.g. {@code max.message.bytes} or {@code cleanup.policy}
     * @throws IllegalStateException if the broker refuses (e.g. the topic exists) or times out
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        new TopicCreation(admin, ADMIN_TIMEOUT).create(name, partitions, configs);
    }

    /** Stops the broker and deletes its data. Later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            try {
                server.shutdown();
                server.awaitShutdown();
            } finally {
                deleteQuietly(baseDirectory);
            }
        }
        LOG.info("Kafka broker on {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private Properties serverConfig(int clientPort, int controllerPort, Map<String, String> overrides) {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + clientPort
                + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        // Advertise the IP, not "localhost": clients that resolve localhost to ::1 first would
        // otherwise try an address nobody listens on.
        config.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", baseDirectory.resolve("data").toString());
        config.putAll(SingleNodeBrokerSettings.brokerConfigs());
        config.putAll(overrides);
        return config;
    }

    private Path writeConfig(Properties config) {
        Path file = baseDirectory.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            config.store(out, "written by StreamGRU's EmbeddedKafka");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The broker answers metadata requests; a cheap proof that clients can use it. */
    private static void awaitBrokerVisible(Admin admin) {
        try {
            int nodes = admin.describeCluster().nodes()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            if (nodes != 1) {
                throw new IllegalStateException("expected 1 broker in the cluster, found " + nodes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("broker did not answer: " + e, e);
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("streamgru-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Kafka", e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("stopping a broker that failed to start failed too", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            Utils.delete(directory.toFile());
        } catch (IOException e) {
            // Leftovers in the temp dir are untidy but harmless; don't mask the real outcome.
            LOG.warn("could not delete Kafka data directory {}", directory, e);
        }
    }
}
