package io.streamgru.app.testing;

import io.streamgru.app.embedded.EmbeddedKafka;

/** The broker of {@code streamgru demo}, in the test JVM: the backend when Docker is absent. */
final class EmbeddedBackend implements KafkaBackend {

    private final EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.FREE_PORT);

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String description() {
        return "in-JVM KRaft broker (EmbeddedKafka)";
    }

    @Override
    public void close() {
        kafka.close();
    }
}
