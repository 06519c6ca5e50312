package io.twinlog.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.twinlog.registry.RegistryException;
import io.twinlog.registry.SchemaVersion;
import io.twinlog.schema.CompatibilityLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Confluent Schema Registry REST API, the subset twinlog's client and the common tools use:
 * subjects and versions, schemas by id, lookup, compatibility checks and levels. Errors carry
 * Confluent's error codes in {@code {"error_code": ..., "message": ...}}.
 */
final class RegistryHttpApi implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** Schemas are a few KiB; Confluent's registry refuses far less than this too. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(RegistryHttpApi.class);

    private final SchemaStore store;

    RegistryHttpApi(SchemaStore store) {
        this.store = store;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Object body;
            int status = 200;
            try {
                body = route(exchange.getRequestMethod(), segments(exchange), exchange);
            } catch (RegistryException e) {
                status = e.status();
                body = error(e.errorCode(), e.reason());
            } catch (BadRequest e) {
                status = e.status;
                body = error(e.errorCode, e.getMessage());
            } catch (RuntimeException e) {
                // The client learns that it failed, not how: internals stay in this process's log.
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                body = error(50001, "Error in the backend data store");
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Object route(String method, List<String> path, HttpExchange exchange)
            throws IOException {
        int n = path.size();
        String first = n > 0 ? path.get(0) : "";
        switch (first) {
            case "" -> {
                if (n == 0 && method.equals("GET")) {
                    return JSON.createObjectNode();
                }
            }
            case "subjects" -> {
                if (n == 1 && method.equals("GET")) {
                    return store.subjects();
                }
                String subject = n > 1 ? path.get(1) : null;
                if (n == 2 && method.equals("POST")) {
                    return versionNode(store.lookup(subject, schemaOf(exchange)));
                }
                if (n == 3 && path.get(2).equals("versions")) {
                    if (method.equals("GET")) {
                        return store.versions(subject);
                    }
                    if (method.equals("POST")) {
                        return JSON.createObjectNode()
                                .put("id", store.register(subject, schemaOf(exchange)));
                    }
                }
                if (n == 4 && path.get(2).equals("versions") && method.equals("GET")) {
                    return versionNode(store.version(subject, path.get(3)));
                }
                if (n == 5
                        && path.get(2).equals("versions")
                        && path.get(4).equals("schema")
                        && method.equals("GET")) {
                    return JSON.readTree(store.version(subject, path.get(3)).schema());
                }
            }
            case "schemas" -> {
                if (n == 2 && path.get(1).equals("types") && method.equals("GET")) {
                    return List.of("AVRO");
                }
                if (n == 3 && path.get(1).equals("ids") && method.equals("GET")) {
                    return JSON.createObjectNode()
                            .put("schema", store.schemaById(schemaId(path.get(2))));
                }
            }
            case "compatibility" -> {
                if ((n == 4 || n == 5)
                        && path.get(1).equals("subjects")
                        && path.get(3).equals("versions")
                        && method.equals("POST")) {
                    List<String> problems =
                            store.compatibilityProblems(
                                    path.get(2), schemaOf(exchange), n == 5 ? path.get(4) : null);
                    ObjectNode result =
                            JSON.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (query(exchange).contains("verbose=true")) {
                        ArrayNode messages = result.putArray("messages");
                        problems.forEach(messages::add);
                    }
                    return result;
                }
            }
            case "config" -> {
                String subject = n == 2 ? path.get(1) : null;
                if (n <= 2 && method.equals("GET")) {
                    return levelNode(subject, exchange);
                }
                if (n <= 2 && method.equals("PUT")) {
                    CompatibilityLevel level = levelOf(exchange);
                    store.setLevel(subject, level);
                    return JSON.createObjectNode().put("compatibility", level.name());
                }
            }
            default -> {
                // not found below
            }
        }
        throw new BadRequest(
                404, 404, "HTTP 404 Not Found: " + method + " /" + String.join("/", path));
    }

    private ObjectNode levelNode(String subject, HttpExchange exchange) throws RegistryException {
        CompatibilityLevel level =
                subject == null ? store.globalLevel() : store.subjectLevel(subject);
        if (level == null) {
            if (!query(exchange).contains("defaultToGlobal=true")) {
                throw new RegistryException(
                        404,
                        RegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                        "Subject '"
                                + subject
                                + "' does not have subject-level compatibility configured");
            }
            level = store.globalLevel();
        }
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    private static ObjectNode versionNode(SchemaVersion version) {
        return JSON.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema());
    }

    private static String schemaOf(HttpExchange exchange) throws IOException {
        JsonNode body = bodyOf(exchange);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new RegistryException(
                    422,
                    RegistryException.INVALID_SCHEMA,
                    "Invalid schema: this development registry supports schemaType AVRO only, not "
                            + type);
        }
        if (body.path("references").size() > 0) {
            throw new RegistryException(
                    422,
                    RegistryException.INVALID_SCHEMA,
                    "Invalid schema: schema references are not supported by this development registry");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new RegistryException(
                    422,
                    RegistryException.INVALID_SCHEMA,
                    "Invalid schema: the request body needs a \"schema\" string");
        }
        return schema.asText();
    }

    private static CompatibilityLevel levelOf(HttpExchange exchange) throws IOException {
        String level = bodyOf(exchange).path("compatibility").asText("");
        try {
            return CompatibilityLevel.valueOf(level);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    422,
                    RegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level '"
                            + level
                            + "'. Valid values are "
                            + Arrays.toString(CompatibilityLevel.values()));
        }
    }

    private static JsonNode bodyOf(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            // Read at most one byte more than allowed: a larger body is refused, never buffered.
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BadRequest(
                        413, 413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            JsonNode node = bytes.length == 0 ? null : JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequest(400, 400, "the request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest(
                    400, 400, "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static int schemaId(String text) throws BadRequest {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(
                    404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static List<String> segments(HttpExchange exchange) {
        List<String> segments = new ArrayList<>();
        for (String raw : exchange.getRequestURI().getRawPath().split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static String query(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return query == null ? "" : query;
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    /** A request this API cannot serve, outside Confluent's numbered errors. */
    private static final class BadRequest extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final int errorCode;

        BadRequest(int status, int errorCode, String message) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
        }
    }
}
