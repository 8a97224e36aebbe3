package io.streamgru.app.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Provides a {@link KafkaTestCluster} to tests, starting it on first use and sharing it with every
 * later test class in the JVM; JUnit stops it when the whole run ends.
 *
 * <p>Sharing is the point: a broker starts in 4–7 s cold on two cores, and a test class that
 * needs one should not pay that again. The cluster lives in the root context's store, which
 * closes {@link AutoCloseable} values after the last test.
 *
 * <p>Which broker backs it is decided by {@link KafkaBackends#start()}: a Testcontainers
 * {@code apache/kafka} container when Docker is available, otherwise
 * {@link io.streamgru.app.embedded.EmbeddedKafka} in this JVM.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaTestCluster.class;
    }

    @Override
    public KafkaTestCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedCluster.class, key -> new SharedCluster(), SharedCluster.class)
                .cluster();
    }

    /** The store's handle on the cluster: JUnit closes it, tests never see it. */
    private record SharedCluster(KafkaTestCluster cluster) implements AutoCloseable {

        SharedCluster() {
            this(new KafkaTestCluster(KafkaBackends.start()));
        }

        @Override
        public void close() {
            cluster.stop();
        }
    }
}
