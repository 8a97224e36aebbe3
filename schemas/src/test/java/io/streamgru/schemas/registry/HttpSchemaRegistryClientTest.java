package io.streamgru.schemas.registry;

import io.streamgru.schemas.registry.server.LocalSchemaRegistryServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP client against a registry that speaks the REST API (the local server). */
class HttpSchemaRegistryClientTest {

    private static final Schema READING = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").endRecord();
    private static final Schema READING_V2 = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").name("unit").type().stringType().stringDefault("C").endRecord();

    private static LocalSchemaRegistryServer server;
    private static LocalSchemaRegistryServer secured;

    @BeforeAll
    static void start() {
        server = LocalSchemaRegistryServer.builder().start();
        secured = LocalSchemaRegistryServer.builder().basicAuth("alice", "p:ss w0rd").start();
    }

    @AfterAll
    static void stop() {
        server.close();
        secured.close();
    }

    private static HttpSchemaRegistryClient client(String url) {
        return new HttpSchemaRegistryClient(RegistryClientConfig.of(url));
    }

    @Test
    void everyOperationRoundTrips() {
        HttpSchemaRegistryClient client = client(server.url());
        int v1 = client.register("readings-value", READING);
        int v2 = client.register("readings-value", READING_V2);
        assertThat(client.register("readings-value", READING)).isEqualTo(v1);
        assertThat(client.lookup("readings-value", READING_V2)).isEqualTo(v2);
        assertThat(client.getById(v1)).isEqualTo(READING);
        assertThat(client.latest("readings-value")).isEqualTo(new RegisteredSchema("readings-value", 2, v2, READING_V2));
        assertThat(client.version("readings-value", 1).id()).isEqualTo(v1);
        assertThat(client.versions("readings-value")).containsExactly(1, 2);
        assertThat(client.subjects()).contains("readings-value");
    }

    @Test
    void anUnknownIdIsAClearSchemaNotFound() {
        assertThatThrownBy(() -> client(server.url()).getById(4242))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.getMessage()).isEqualTo("GET " + server.url()
                            + "/schemas/ids/4242 -> 404 (error_code 40403): Schema 4242 not found");
                });
    }

    @Test
    void lookupOfAnUnregisteredSchemaIsNotFoundAndRegistersNothing() {
        HttpSchemaRegistryClient client = client(server.url());
        assertThatThrownBy(() -> client.lookup("never-value", READING))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThat(client.subjects()).doesNotContain("never-value");
    }

    @Test
    void anIncompatibleSchemaIsRejectedWith409() {
        HttpSchemaRegistryClient client = client(server.url());
        client.register("strict-value", READING);
        Schema breaking = SchemaBuilder.record("Reading").namespace("t").fields().requiredString("id")
                .requiredLong("count").endRecord();
        assertThatThrownBy(() -> client.register("strict-value", breaking))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("count");
                });
    }

    @Test
    void basicAuthFromUserInfoIsSentAndAWrongPasswordIs401() {
        HttpSchemaRegistryClient good = new HttpSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, secured.url(),
                RegistryClientConfig.CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.USER_INFO, "alice:p:ss w0rd")));
        assertThat(good.register("auth-value", READING)).isPositive();

        HttpSchemaRegistryClient anonymous = client(secured.url());
        assertThatThrownBy(anonymous::subjects).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.errorCode()).isEqualTo(40101);
        });
    }

    @Test
    void basicAuthCanComeFromTheUrlAndIsNeverPrinted() {
        String url = secured.url().replace("http://", "http://alice:p%3Ass%20w0rd@");
        HttpSchemaRegistryClient client = client(url);
        assertThat(client.subjects()).isNotNull();
        assertThat(client.toString()).doesNotContain("alice").doesNotContain("w0rd");
        assertThat(client.config().toString()).doesNotContain("w0rd");
    }

    @Test
    void aPathPrefixInTheUrlIsKept() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(new ScriptedHttpServer.Reply(200, "{\"schema\":\"\\\"string\\\"\"}"))) {
            assertThat(client(stub.url() + "/apis/ccompat/v7/").getById(3)).isEqualTo(Schema.create(Schema.Type.STRING));
            assertThat(stub.requests()).containsExactly("GET /apis/ccompat/v7/schemas/ids/3");
        }
    }

    @Test
    void aNonAvroSchemaIsRefusedClearly() {
        try (ScriptedHttpServer stub = new ScriptedHttpServer(new ScriptedHttpServer.Reply(200,
                "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"))) {
            assertThatThrownBy(() -> client(stub.url()).getById(5)).isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("schema id 5 is a PROTOBUF schema");
        }
    }
}
