package io.streamgru.schemas.registry.server;

import io.streamgru.schemas.registry.CompatibilityLevel;
import io.streamgru.schemas.registry.memory.InMemorySchemaRegistry;
import io.streamgru.schemas.registry.memory.MockRegistries;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local server speaks the Confluent REST API: exact paths, bodies, statuses and error codes, as
 * seen by a plain HTTP client (the way kcat or curl would use it).
 */
class LocalSchemaRegistryServerTest {

    private static final Schema READING = SchemaBuilder.record("Reading").namespace("t").fields()
            .requiredString("id").endRecord();

    private static LocalSchemaRegistryServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = LocalSchemaRegistryServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void registersLooksUpAndServesByIdAndVersion() throws Exception {
        String body = "{\"schema\": " + quote(READING.toString()) + "}";
        Answer registered = call("POST", "/subjects/rest-value/versions", body);
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.body()).matches("\\{\"id\":\\d+}");
        String id = registered.body().replaceAll("\\D", "");

        Answer lookup = call("POST", "/subjects/rest-value", body);
        assertThat(lookup.body()).contains("\"subject\":\"rest-value\"", "\"version\":1", "\"id\":" + id);

        assertThat(call("GET", "/schemas/ids/" + id, null).body()).contains("\"schema\":", "Reading");
        assertThat(call("GET", "/subjects/rest-value/versions", null).body()).isEqualTo("[1]");
        assertThat(call("GET", "/subjects/rest-value/versions/latest", null).body()).contains("\"version\":1");
        assertThat(call("GET", "/subjects/rest-value/versions/1", null).body()).contains("\"id\":" + id);
        assertThat(call("GET", "/subjects", null).body()).contains("\"rest-value\"");
        assertThat(registered.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void subjectsWithReservedCharactersArePathEncoded() throws Exception {
        String body = "{\"schema\": " + quote(READING.toString()) + "}";
        assertThat(call("POST", "/subjects/a%2Fb%20c/versions", body).status()).isEqualTo(200);
        assertThat(server.registry().subjects()).contains("a/b c");
    }

    @Test
    void errorsCarryConfluentErrorCodes() throws Exception {
        assertThat(call("GET", "/schemas/ids/9999", null)).isEqualTo(new Answer(404,
                "{\"error_code\":40403,\"message\":\"Schema 9999 not found\"}", "application/vnd.schemaregistry.v1+json"));
        assertThat(call("GET", "/subjects/none/versions/latest", null).body()).contains("40401");
        assertThat(call("POST", "/subjects/x/versions", "{\"schema\": \"{not avro\"}").body()).contains("42201");
        assertThat(call("POST", "/subjects/x/versions", "{\"schema\": \"\\\"string\\\"\", \"schemaType\": \"PROTOBUF\"}")
                .status()).isEqualTo(422);
        assertThat(call("GET", "/subjects/x/versions/abc", null).body()).contains("42202");
        assertThat(call("GET", "/no/such/path", null).status()).isEqualTo(404);
    }

    @Test
    void compatibilityIsReadAndSetThroughConfig() throws Exception {
        assertThat(call("GET", "/config", null).body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
        assertThat(call("PUT", "/config/cfg-value", "{\"compatibility\": \"FULL\"}").body())
                .isEqualTo("{\"compatibility\":\"FULL\"}");
        assertThat(server.registry().compatibility("cfg-value")).isEqualTo(CompatibilityLevel.FULL);
        assertThat(call("GET", "/config/cfg-value", null).body()).contains("FULL");
        Answer bad = call("PUT", "/config", "{\"compatibility\": \"SOMETIMES\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("42203");
    }

    @Test
    void aMockScopeAndTheServerCanShareOneStore() throws Exception {
        MockRegistries registries = new MockRegistries();
        InMemorySchemaRegistry store = new InMemorySchemaRegistry();
        registries.put("demo", store);
        try (LocalSchemaRegistryServer shared = LocalSchemaRegistryServer.builder().registry(store).start()) {
            int id = registries.client("mock://demo").register("shared-value", READING);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create(shared.url() + "/schemas/ids/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).contains("Reading");
        }
    }

    @Test
    void requiresBasicAuthWhenConfigured() throws Exception {
        try (LocalSchemaRegistryServer secured = LocalSchemaRegistryServer.builder().basicAuth("sr", "s3cret").start()) {
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(secured.url() + "/subjects"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("40101");
            HttpResponse<String> authorized = HTTP.send(HttpRequest.newBuilder(URI.create(secured.url() + "/subjects"))
                    .header("Authorization", "Basic c3I6czNjcmV0").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(authorized.statusCode()).isEqualTo(200);
            assertThat(secured.requestCount()).isEqualTo(2);
        }
    }

    private static Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private record Answer(int status, String body, String contentType) {
    }
}
