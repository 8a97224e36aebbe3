package io.streamgru.app.testing;

/** A running Kafka broker that tests can reach; closing it stops the broker. */
interface KafkaBackend extends AutoCloseable {

    /** {@code host:port} for clients, kcat included. */
    String bootstrapServers();

    /** What runs the broker, for the test log: {@code "in-JVM KRaft broker"}, an image name. */
    String description();

    @Override
    void close();
}
