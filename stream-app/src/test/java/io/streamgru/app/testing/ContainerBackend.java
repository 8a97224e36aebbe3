package io.streamgru.app.testing;

import io.streamgru.app.embedded.SingleNodeBrokerSettings;
import java.util.Locale;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * An {@code apache/kafka} container started by Testcontainers, configured with the same
 * {@link SingleNodeBrokerSettings} as the in-JVM broker so tests see the same broker behaviour.
 */
final class ContainerBackend implements KafkaBackend {

    /** System property naming the image; the default matches the Kafka version we build against. */
    static final String IMAGE_PROPERTY = "streamgru.test.kafka.image";
    static final String DEFAULT_IMAGE = "apache/kafka:4.3.1";

    private final String image;
    private final KafkaContainer container;

    ContainerBackend() {
        this.image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
        this.container = new KafkaContainer(DockerImageName.parse(image));
        SingleNodeBrokerSettings.brokerConfigs().forEach(
                (key, value) -> container.withEnv(environmentVariable(key), value));
        container.start();
    }

    /**
     * The variable through which the apache/kafka image sets broker config {@code key}:
     * {@code KAFKA_} and the key in upper case with dots as underscores.
     */
    static String environmentVariable(String key) {
        if (key.contains("_") || key.contains("-")) {
            // The image spells those as "__" and "___"; none of our settings needs them.
            throw new IllegalArgumentException("unsupported broker config key for the image: " + key);
        }
        return "KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "Testcontainers " + image;
    }

    @Override
    public void close() {
        container.stop();
    }
}
