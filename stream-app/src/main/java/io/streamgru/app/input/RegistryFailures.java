package io.streamgru.app.input;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.schemas.registry.RegistryUnavailableException;
import io.streamgru.schemas.registry.SchemaRegistryException;
import io.streamgru.schemas.serde.SerdeException;
import javax.net.ssl.SSLException;

/**
 * Turns a Schema Registry failure that is not the record's fault (refused credentials, TLS, the
 * registry unreachable or answering with errors) into an {@link EnvironmentException} whose
 * message says what failed and which setting to check. Such a failure must never dead-letter the
 * record being decoded or encoded: the learner stops before committing past it instead.
 */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    /** Whether a serde failure is the registry's, not the record's (see the class comment). */
    public static boolean isRegistrysFault(SerdeException e) {
        return e.reason() == SerdeException.Reason.REGISTRY_UNAVAILABLE
                || e.reason() == SerdeException.Reason.REGISTRY_ERROR;
    }

    /** The one-line explanation of a registry failure (the serde's, or the registry client's own). */
    public static EnvironmentException of(RuntimeException e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof SchemaRegistryException)) {
            cause = cause.getCause();
        }
        String detail = oneLine(cause != null ? cause.getMessage() : e.getMessage());
        if (!(cause instanceof SchemaRegistryException registry)) {
            return new EnvironmentException("Schema Registry request failed (" + detail + "): check schema.registry.url", e);
        }
        if (registry.status() == 401) {
            return new EnvironmentException("the Schema Registry refused the credentials (" + detail
                    + "): check schema.registry.basic.auth.user.info", e);
        }
        if (registry.status() == 403) {
            return new EnvironmentException("the Schema Registry denied access (" + detail + "): the user in "
                    + "schema.registry.basic.auth.user.info needs to read schemas (and register the forecast schema "
                    + "when output.format is avro)", e);
        }
        if (registry instanceof RegistryUnavailableException) {
            return new EnvironmentException("the Schema Registry cannot be reached (" + detail
                    + "): check schema.registry.url and that the registry is up", e);
        }
        if (hasCause(registry, SSLException.class)) {
            return new EnvironmentException("TLS with the Schema Registry failed (" + detail + "): if its certificate "
                    + "is not trusted by the JDK, set schema.registry.ssl.truststore.location (and .password)", e);
        }
        return new EnvironmentException("the Schema Registry answered with an error (" + detail
                + "): check schema.registry.url points at a Confluent-compatible registry API", e);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
