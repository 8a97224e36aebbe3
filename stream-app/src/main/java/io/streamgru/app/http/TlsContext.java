package io.streamgru.app.http;

import io.streamgru.app.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The endpoint's TLS context from {@code http.tls.keystore} (PKCS12 or JKS, told apart by the JDK). */
final class TlsContext {

    private TlsContext() {
    }

    /** A context serving the key in {@code keystore}; a key store that cannot be used is a settings mistake. */
    static SSLContext of(String keystore, String password) {
        char[] secret = password.toCharArray();
        try {
            KeyStore store = KeyStore.getInstance(new File(keystore), secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("cannot use http.tls.keystore '" + keystore + "' (" + e.getMessage()
                    + "): check the file and http.tls.keystore.password");
        }
    }
}
