package io.streamgru.schemas.registry;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS through the JDK: a registry with a self-signed certificate (made with the JDK's keytool) is
 * reached once its certificate is in the configured trust store, and refused clearly otherwise.
 */
class HttpsRegistryTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static Path trustStore;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        // The client's trust store holds only the certificate (written here rather than by two more keytool runs).
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("registry", keys.getCertificate("registry"));
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trusted.store(out, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = "{\"schema\":\"\\\"string\\\"\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aConfiguredTrustStoreMakesTheRegistryReachable() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, url(),
                RegistryClientConfig.TRUSTSTORE_LOCATION, trustStore.toString(),
                RegistryClientConfig.TRUSTSTORE_PASSWORD, PASSWORD,
                RegistryClientConfig.TRUSTSTORE_TYPE, "PKCS12")));
        assertThat(client.getById(1)).isEqualTo(Schema.create(Schema.Type.STRING));
    }

    @Test
    void anUntrustedCertificateFailsAtOnceNamingTheSetting() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, url(), RegistryClientConfig.MAX_RETRIES, 3)));
        assertThatThrownBy(() -> client.getById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("TLS failed")
                .hasMessageContaining(RegistryClientConfig.TRUSTSTORE_LOCATION);
    }

    @Test
    void aMissingTrustStoreIsAConfigError() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, url(), RegistryClientConfig.TRUSTSTORE_LOCATION, dir.resolve("none.p12").toString()))))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("cannot load the trust store");
    }

    private static void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
