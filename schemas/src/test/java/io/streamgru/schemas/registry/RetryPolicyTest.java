package io.streamgru.schemas.registry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transient failures are retried a bounded number of times; answers that would not change are not. */
class RetryPolicyTest {

    private static final String SCHEMA = "{\"schema\":\"\\\"string\\\"\"}";
    private static final ScriptedHttpServer.Reply OK = new ScriptedHttpServer.Reply(200, SCHEMA);
    private static final ScriptedHttpServer.Reply UNAVAILABLE = new ScriptedHttpServer.Reply(503,
            "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}");

    private static HttpSchemaRegistryClient client(String urls, int maxRetries) {
        return new HttpSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, urls,
                RegistryClientConfig.MAX_RETRIES, maxRetries,
                RegistryClientConfig.RETRIES_WAIT_MS, 1,
                RegistryClientConfig.RETRIES_MAX_WAIT_MS, 5,
                RegistryClientConfig.CONNECT_TIMEOUT_MS, 2000)));
    }

    @Test
    void persistent503sGiveUpAfterMaxRetriesWithTheLastAnswer() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(UNAVAILABLE)) {
            assertThatThrownBy(() -> client(stub.url(), 2).getById(1))
                    .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                        assertThat(e.attempts()).isEqualTo(3);
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.errorCode()).isEqualTo(50003);
                        assertThat(e.getMessage()).contains("failed 3 time(s) (max.retries=2)", "503 (error_code 50003)",
                                "forwarding the request");
                    });
            assertThat(stub.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void aTransient503IsRetriedUntilItSucceeds() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(UNAVAILABLE, UNAVAILABLE, OK)) {
            assertThat(client(stub.url(), 3).getById(1).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
            assertThat(stub.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void a404IsAnsweredAtOnceWithoutRetry() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(new ScriptedHttpServer.Reply(404,
                "{\"error_code\":40403,\"message\":\"Schema not found\"}"))) {
            assertThatThrownBy(() -> client(stub.url(), 5).getById(7)).isInstanceOf(SchemaNotFoundException.class);
            assertThat(stub.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void otherClientErrorsAreNotRetriedEither() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(new ScriptedHttpServer.Reply(422,
                "{\"error_code\":42201,\"message\":\"Invalid schema\"}"))) {
            assertThatThrownBy(() -> client(stub.url(), 5).register("s", org.apache.avro.Schema.create(
                    org.apache.avro.Schema.Type.STRING))).isInstanceOfSatisfying(SchemaRegistryException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(42201));
            assertThat(stub.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aProxysHtmlErrorPageIsReportedAsItIs() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(new ScriptedHttpServer.Reply(502,
                "<html><body>Bad Gateway</body></html>"))) {
            assertThatThrownBy(() -> client(stub.url(), 0).getById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("502 (error_code 502): <html><body>Bad Gateway</body></html>");
        }
    }

    @Test
    void aRefusedConnectionIsRetriedThenReportedWithoutStatus() throws IOException {
        int deadPort = freePort();
        assertThatThrownBy(() -> client("http://127.0.0.1:" + deadPort, 2).getById(1))
                .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_STATUS);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + deadPort, "ConnectException");
                    assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
                });
    }

    @Test
    void aSecondUrlIsUsedWhenTheFirstIsDown() throws IOException {
        int deadPort = freePort();
        try (ScriptedHttpServer stub = new ScriptedHttpServer(OK)) {
            assertThat(client("http://127.0.0.1:" + deadPort + "," + stub.url(), 1).getById(1)).isNotNull();
            assertThat(stub.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void zeroRetriesMeansExactlyOneAttempt() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(UNAVAILABLE)) {
            assertThatThrownBy(() -> client(stub.url(), 0).getById(1)).isInstanceOf(RegistryUnavailableException.class);
            assertThat(stub.requestCount()).isEqualTo(1);
        }
    }

    /** A port nobody listens on: bound, then released. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
