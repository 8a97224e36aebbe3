package io.streamgru.app.runtime;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.RegistryFailures;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * What StreamGRU checks before it starts, so that an unusable environment stops it with one line
 * that says what failed and what to do ({@link EnvironmentException}) instead of stack traces and
 * minutes of retries: the Kafka cluster answers (within {@code kafka.default.api.timeout.ms}, at
 * most {@link #MAX_CLUSTER_WAIT}) and accepts the credentials; the Schema Registry, when a format
 * is Avro, answers and accepts the credentials.
 */
final class EnvironmentChecks {

    /** The longest wait for the cluster's first answer at startup. */
    static final Duration MAX_CLUSTER_WAIT = Duration.ofSeconds(30);

    private EnvironmentChecks() {
    }

    /** Asks the cluster to describe itself: the first request any client makes, with a bounded wait. */
    static void kafka(Admin admin, StreamGruConfig config) throws InterruptedException {
        long timeoutMs = MAX_CLUSTER_WAIT.toMillis();
        String configured = config.kafka().get(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG);
        if (configured != null) {
            timeoutMs = Math.min(timeoutMs, Long.parseLong(configured.trim()));
        }
        String servers = config.kafka().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs)).nodes()
                    .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw kafkaFailure(e instanceof ExecutionException ? e.getCause() : new TimeoutException(e.getMessage()),
                    servers, timeoutMs);
        }
    }

    static EnvironmentException kafkaFailure(Throwable cause, String servers, long timeoutMs) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ");
        if (cause instanceof ConfigException) {
            return new EnvironmentException("a Kafka client setting is invalid (" + detail + "): check the kafka.* settings",
                    cause);
        }
        if (cause instanceof SslAuthenticationException) {
            return new EnvironmentException("TLS with the Kafka cluster at " + servers + " failed (" + detail + "): if the "
                    + "brokers' certificate is not trusted by the JDK, set kafka.ssl.truststore.location (and "
                    + "kafka.ssl.truststore.password)", cause);
        }
        if (cause instanceof SaslAuthenticationException || cause instanceof AuthenticationException) {
            return new EnvironmentException("the Kafka cluster at " + servers + " refused the credentials (" + detail
                    + "): check kafka.sasl.jaas.config and kafka.sasl.mechanism", cause);
        }
        if (cause instanceof AuthorizationException) {
            return new EnvironmentException("the Kafka cluster at " + servers + " denied a request (" + detail
                    + "): grant the principal DESCRIBE on the cluster and on the topics", cause);
        }
        if (cause instanceof TimeoutException) {
            return new EnvironmentException("no answer from the Kafka cluster at " + servers + " within "
                    + timeoutMs / 1000 + " s: check kafka.bootstrap.servers, that the brokers are up and reachable "
                    + "from here, and kafka.security.protocol", cause);
        }
        return new EnvironmentException("the Kafka cluster at " + servers + " cannot be used (" + detail
                + "): check kafka.bootstrap.servers and the kafka.* security settings", cause);
    }

    /** Lists the registry's subjects: a read every reader of Avro input needs permission for. */
    static void registry(SchemaRegistryClient registry) {
        try {
            registry.subjects();
        } catch (SchemaRegistryException e) {
            throw RegistryFailures.of(e);
        }
    }
}
