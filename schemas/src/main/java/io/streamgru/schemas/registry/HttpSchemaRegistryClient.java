package io.streamgru.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API with the JDK's {@link HttpClient}: no
 * caching (wrap it in {@link CachingSchemaRegistryClient}), one request per call.
 *
 * <p>HTTPS uses the JDK's TLS and, unless a trust store is configured, the JDK's default trust
 * store. Basic auth sends {@code Authorization: Basic base64(user:password)} on every request
 * (preemptively: registries answer 401 rather than challenge). Requests carry the Confluent media
 * types so Confluent, Apicurio ccompat, Karapace and Redpanda all answer in the v1 JSON format.
 *
 * <p>Retries: connection errors, timeouts, 408, 429 and 5xx are retried up to
 * {@link RegistryClientConfig#maxRetries()} times with doubling backoff, rotating through the
 * configured URLs; then a {@link RegistryUnavailableException} reports the attempts and the last
 * failure. TLS failures (e.g. an untrusted certificate) fail at once, naming the trust store setting.
 * Any other 4xx fails at once with the registry's status, error code and message: asking
 * again would not change the answer.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    /** Confluent's v1 media type; every compatible registry understands it. */
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = MEDIA_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int MAX_BODY_IN_MESSAGE = 300;

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Optional<String> authorization;

    public HttpSchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (config.trustStoreLocation().isPresent()) {
            builder.sslContext(new TrustStoreSslContext(config).create());
        }
        this.http = builder.build();
        this.authorization = config.userInfo().map(info ->
                "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode answer = send("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(schema));
        return requiredInt(answer, "id", "register");
    }

    @Override
    public int lookup(String subject, Schema schema) {
        JsonNode answer = send("POST", "/subjects/" + segment(subject), schemaBody(schema));
        return requiredInt(answer, "id", "lookup");
    }

    @Override
    public Schema getById(int id) {
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        return parseSchema(answer, "schema id " + id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(send("GET", "/subjects/" + segment(subject) + "/versions/latest", null), subject);
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(send("GET", "/subjects/" + segment(subject) + "/versions/" + version, null), subject);
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + segment(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    /** The configuration this client was built with. */
    public RegistryClientConfig config() {
        return config;
    }

    private RegisteredSchema registered(JsonNode answer, String subject) {
        String context = "subject " + subject;
        return new RegisteredSchema(answer.path("subject").asText(subject),
                requiredInt(answer, "version", context), requiredInt(answer, "id", context),
                parseSchema(answer, context));
    }

    private String schemaBody(Schema schema) {
        ObjectNode body = json.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private Schema parseSchema(JsonNode answer, String context) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
                    context + " is a " + type + " schema; this client reads Avro only");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
                    "the registry's answer for " + context + " has no schema: " + abbreviate(answer.toString()));
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
                    "the registry returned a schema for " + context + " that Avro cannot parse: " + e.getMessage());
        }
    }

    private static int requiredInt(JsonNode answer, String field, String context) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_STATUS,
                    "the registry's answer for " + context + " has no '" + field + "': " + abbreviate(answer.toString()));
        }
        return value.asInt();
    }

    /** One REST call with the retry policy described on the class. */
    private JsonNode send(String method, String path, String body) {
        int attempts = config.maxRetries() + 1;
        Failure last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                backoff(attempt, method, path, last);
            }
            URI base = config.urls().get(attempt % config.urls().size());
            URI uri = URI.create(stripSlash(RegistryClientConfig.withoutUserInfo(base)) + path);
            String where = method + " " + uri;
            HttpResponse<String> response;
            try {
                response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (javax.net.ssl.SSLException e) {
                // An untrusted certificate or a protocol mismatch: configuration, not a passing fault.
                throw new SchemaRegistryException(SchemaRegistryException.NO_STATUS, SchemaRegistryException.NO_STATUS,
                        where + ": TLS failed (" + e.getMessage() + "); if the registry's certificate is not trusted by "
                                + "the JDK, set " + RegistryClientConfig.TRUSTSTORE_LOCATION, e);
            } catch (IOException e) {
                last = new Failure(where, SchemaRegistryException.NO_STATUS, SchemaRegistryException.NO_STATUS,
                        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(SchemaRegistryException.NO_STATUS,
                        SchemaRegistryException.NO_STATUS, attempt + 1, where + " interrupted", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(where, response.body());
            }
            ErrorBody error = errorBody(status, response.body());
            if (isRetriable(status)) {
                last = new Failure(where, status, error.code(), error.message(), null);
                continue;
            }
            throw SchemaRegistryException.of(status, error.code(),
                    where + " -> " + status + " (error_code " + error.code() + "): " + error.message());
        }
        throw new RegistryUnavailableException(last.status(), last.errorCode(), attempts,
                "Schema Registry unavailable: " + method + " " + path + " failed " + attempts + " time(s) (max.retries="
                        + config.maxRetries() + "); last: " + last.where() + " -> "
                        + (last.status() == SchemaRegistryException.NO_STATUS ? "" : last.status() + " (error_code "
                        + last.errorCode() + "): ") + last.message(), last.cause());
    }

    private static boolean isRetriable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private void backoff(int attempt, String method, String path, Failure last) {
        long wait = config.retryWait().toMillis() << Math.min(attempt - 1, 20);
        wait = Math.min(Math.max(wait, 0), config.retryMaxWait().toMillis());
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(last.status(), last.errorCode(), attempt,
                    method + " " + path + " interrupted while waiting to retry after: " + last.message(), e);
        }
    }

    private HttpRequest request(String method, URI uri, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.readTimeout())
                .header("Accept", ACCEPT);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", MEDIA_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private JsonNode parse(String where, String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_STATUS,
                    where + " answered with something that is not JSON: " + abbreviate(body));
        }
    }

    private ErrorBody errorBody(int status, String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject()) {
                return new ErrorBody(node.path("error_code").asInt(status), node.path("message").asText(abbreviate(body)));
            }
        } catch (JsonProcessingException e) {
            // Proxies and load balancers answer with HTML or plain text; report it as it is.
        }
        return new ErrorBody(status, body == null || body.isBlank() ? "(empty body)" : abbreviate(body));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A subject as one URL path segment (URLEncoder is for forms: '+' would mean a plus here). */
    private static String segment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record ErrorBody(int code, String message) {
    }

    private record Failure(String where, int status, int errorCode, String message, Throwable cause) {
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient" + config.urls().stream().map(RegistryClientConfig::withoutUserInfo).toList();
    }
}
