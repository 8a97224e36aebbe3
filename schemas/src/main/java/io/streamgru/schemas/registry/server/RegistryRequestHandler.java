package io.streamgru.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.streamgru.schemas.registry.CompatibilityLevel;
import io.streamgru.schemas.registry.RegisteredSchema;
import io.streamgru.schemas.registry.SchemaRegistryException;
import io.streamgru.schemas.registry.memory.InMemorySchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the Confluent REST paths onto an {@link InMemorySchemaRegistry}, translating its
 * {@link SchemaRegistryException}s back into the statuses and error bodies they came from.
 */
final class RegistryRequestHandler implements HttpHandler {

    private final InMemorySchemaRegistry registry;
    private final ObjectMapper json = new ObjectMapper();

    RegistryRequestHandler(InMemorySchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange, exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()));
            } catch (SchemaRegistryException e) {
                JsonResponses.error(exchange, e.status(), e.errorCode(), e.getMessage());
            } catch (BadRequest e) {
                JsonResponses.error(exchange, e.status, e.errorCode, e.getMessage());
            } catch (RuntimeException e) {
                JsonResponses.error(exchange, 500, SchemaRegistryException.STORE_ERROR, "Internal error: " + e);
            }
        }
    }

    private void route(HttpExchange exchange, String method, List<String> path) throws IOException {
        int n = path.size();
        String first = n > 0 ? path.get(0) : "";
        if (n == 0 && method.equals("GET")) {
            JsonResponses.send(exchange, 200, Map.of());
        } else if (first.equals("subjects") && n == 1 && method.equals("GET")) {
            JsonResponses.send(exchange, 200, registry.subjects());
        } else if (first.equals("subjects") && n == 2 && method.equals("POST")) {
            JsonResponses.send(exchange, 200, describe(registry.lookup(path.get(1), schemaFrom(exchange))));
        } else if (first.equals("subjects") && n == 3 && path.get(2).equals("versions") && method.equals("POST")) {
            RegisteredSchema registered = registry.register(path.get(1), schemaFrom(exchange));
            JsonResponses.send(exchange, 200, Map.of("id", registered.id()));
        } else if (first.equals("subjects") && n == 3 && path.get(2).equals("versions") && method.equals("GET")) {
            JsonResponses.send(exchange, 200, registry.versions(path.get(1)));
        } else if (first.equals("subjects") && n == 4 && path.get(2).equals("versions") && method.equals("GET")) {
            String subject = path.get(1);
            String version = path.get(3);
            RegisteredSchema registered = version.equals("latest") || version.equals("-1")
                    ? registry.latest(subject) : registry.version(subject, parseVersion(version));
            JsonResponses.send(exchange, 200, describe(registered));
        } else if (first.equals("schemas") && n == 3 && path.get(1).equals("ids") && method.equals("GET")) {
            JsonResponses.send(exchange, 200, Map.of("schema", registry.schemaById(parseId(path.get(2))).toString()));
        } else if (first.equals("config") && (n == 1 || n == 2)) {
            config(exchange, method, n == 2 ? path.get(1) : null);
        } else {
            throw new BadRequest(404, 404, "HTTP 404 Not Found: " + method + " " + exchange.getRequestURI().getPath());
        }
    }

    private void config(HttpExchange exchange, String method, String subject) throws IOException {
        if (method.equals("GET")) {
            CompatibilityLevel level = subject == null ? registry.compatibility() : registry.compatibility(subject);
            JsonResponses.send(exchange, 200, Map.of("compatibilityLevel", level.name()));
        } else if (method.equals("PUT")) {
            JsonNode body = body(exchange);
            CompatibilityLevel level;
            try {
                level = CompatibilityLevel.parse(body.path("compatibility").asText(""));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, e.getMessage());
            }
            if (subject == null) {
                registry.setCompatibility(level);
            } else {
                registry.setCompatibility(subject, level);
            }
            JsonResponses.send(exchange, 200, Map.of("compatibility", level.name()));
        } else {
            throw new BadRequest(405, 405, "HTTP 405 Method Not Allowed: " + method);
        }
    }

    private static Map<String, Object> describe(RegisteredSchema registered) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subject", registered.subject());
        answer.put("version", registered.version());
        answer.put("id", registered.id());
        answer.put("schema", registered.schema().toString());
        return answer;
    }

    private Schema schemaFrom(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: this registry stores AVRO only, not " + type);
        }
        if (body.path("references").size() > 0) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: schema references are not supported by this registry");
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: no \"schema\" string in the body");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode node = json.readTree(in);
            if (node == null || !node.isObject()) {
                throw new BadRequest(422, 422, "Unprocessable entity: expected a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest(400, 400, "Malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static int parseVersion(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_VERSION,
                    "The specified version '" + text + "' is not a valid version id");
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                segments.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** An answer decided by the HTTP layer itself (bad path, body or parameter). */
    private static final class BadRequest extends RuntimeException {
        private final int status;
        private final int errorCode;

        BadRequest(int status, int errorCode, String message) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
        }
    }
}
