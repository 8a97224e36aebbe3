package io.streamgru.schemas.registry;

import org.apache.kafka.common.config.ConfigException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Builds the TLS context for a registry whose certificate is in a configured trust store. */
final class TrustStoreSslContext {

    private final RegistryClientConfig config;

    TrustStoreSslContext(RegistryClientConfig config) {
        this.config = config;
    }

    SSLContext create() {
        String location = config.trustStoreLocation().orElseThrow();
        char[] password = config.trustStorePassword().map(String::toCharArray).orElse(null);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(config.trustStoreType());
            store.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(RegistryClientConfig.TRUSTSTORE_LOCATION, location,
                    "cannot load the trust store: " + e.getMessage());
        }
    }
}
