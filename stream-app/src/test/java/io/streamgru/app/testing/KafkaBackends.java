package io.streamgru.app.testing;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses and starts the broker for the integration tests: a container when Docker is available,
 * the in-JVM broker otherwise, so the same tests run on a laptop with Docker and on a CI machine
 * without it. {@code -Dstreamgru.test.kafka=embedded|container} forces one.
 */
final class KafkaBackends {

    static final String BACKEND_PROPERTY = "streamgru.test.kafka";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBackends.class);

    private KafkaBackends() {
    }

    static KafkaBackend start() {
        String requested = System.getProperty(BACKEND_PROPERTY, "auto").toLowerCase(Locale.ROOT);
        long begin = System.nanoTime();
        KafkaBackend backend = switch (requested) {
            case "embedded" -> new EmbeddedBackend();
            case "container" -> new ContainerBackend();
            case "auto" -> dockerAvailable() ? new ContainerBackend() : new EmbeddedBackend();
            default -> throw new IllegalArgumentException(
                    BACKEND_PROPERTY + " must be auto, embedded or container, not " + requested);
        };
        LOG.info("Kafka for integration tests: {} at {} ({} backend requested, ready in {} ms)",
                backend.description(), backend.bootstrapServers(), requested,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return backend;
    }

    private static boolean dockerAvailable() {
        boolean available = DockerClientFactory.instance().isDockerAvailable();
        if (!available) {
            LOG.info("No Docker engine found (Testcontainers logs why): "
                    + "integration tests use the in-JVM Kafka broker");
        }
        return available;
    }
}
