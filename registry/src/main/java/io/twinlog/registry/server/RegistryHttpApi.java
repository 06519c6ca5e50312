package io.twinlog.registry.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.twinlog.registry.RegistryException;
import io.twinlog.registry.SchemaVersion;
import io.twinlog.schema.CompatibilityLevel;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST API, the subset twinlog's client and the common tools use:
 * subjects and versions, schemas by id, lookup, compatibility checks and levels, as one route table
 * on Javalin. Errors carry Confluent's error codes in {@code {"error_code": ..., "message": ...}}.
 */
final class RegistryHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** Schemas are a few KiB; Confluent's registry refuses far less than this too. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final SchemaStore store;
    private final RegistrySecurity security;

    RegistryHttpApi(SchemaStore store, RegistrySecurity security) {
        this.store = store;
        this.security = security;
    }

    // Bodies of the answers: Confluent's field names.
    record Id(int id) {}

    record Version(String subject, int version, int id, String schema) {
        static Version of(SchemaVersion version) {
            return new Version(
                    version.subject(), version.version(), version.id(), version.schema());
        }
    }

    record Schema(String schema) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Compatibility(boolean is_compatible, List<String> messages) {}

    record Level(String compatibilityLevel) {}

    record LevelSet(String compatibility) {}

    record Error(int error_code, String message) {}

    void configure(JavalinConfig config) {
        var routes = config.routes;
        routes.before(this::authenticate);
        route(config, HandlerType.GET, "/", ctx -> answer(ctx, Map.of()));
        route(config, HandlerType.GET, "/subjects", ctx -> answer(ctx, store.subjects()));
        route(
                config,
                HandlerType.POST,
                "/subjects/{subject}",
                ctx -> answer(ctx, Version.of(store.lookup(subject(ctx), schemaOf(ctx)))));
        route(
                config,
                HandlerType.GET,
                "/subjects/{subject}/versions",
                ctx -> answer(ctx, store.versions(subject(ctx))));
        route(
                config,
                HandlerType.POST,
                "/subjects/{subject}/versions",
                ctx -> answer(ctx, new Id(store.register(subject(ctx), schemaOf(ctx)))));
        route(
                config,
                HandlerType.GET,
                "/subjects/{subject}/versions/{version}",
                ctx ->
                        answer(
                                ctx,
                                Version.of(store.version(subject(ctx), ctx.pathParam("version")))));
        route(
                config,
                HandlerType.GET,
                "/subjects/{subject}/versions/{version}/schema",
                ctx ->
                        answer(
                                ctx,
                                JSON.readTree(
                                        store.version(subject(ctx), ctx.pathParam("version"))
                                                .schema())));
        route(config, HandlerType.GET, "/schemas/types", ctx -> answer(ctx, List.of("AVRO")));
        route(
                config,
                HandlerType.GET,
                "/schemas/ids/{id}",
                ctx -> answer(ctx, new Schema(store.schemaById(schemaId(ctx.pathParam("id"))))));
        route(
                config,
                HandlerType.POST,
                "/compatibility/subjects/{subject}/versions",
                ctx -> compatibility(ctx, null));
        route(
                config,
                HandlerType.POST,
                "/compatibility/subjects/{subject}/versions/{version}",
                ctx -> compatibility(ctx, ctx.pathParam("version")));
        route(config, HandlerType.GET, "/config", ctx -> level(ctx, null));
        route(config, HandlerType.GET, "/config/{subject}", ctx -> level(ctx, subject(ctx)));
        route(config, HandlerType.PUT, "/config", ctx -> setLevel(ctx, null));
        route(config, HandlerType.PUT, "/config/{subject}", ctx -> setLevel(ctx, subject(ctx)));

        routes.exception(
                RegistryException.class,
                (e, ctx) -> error(ctx, e.status(), e.errorCode(), e.reason()));
        routes.exception(
                BadRequest.class, (e, ctx) -> error(ctx, e.status, e.errorCode, e.getMessage()));
        routes.exception(
                Exception.class,
                (e, ctx) -> {
                    // The client learns that it failed, not how: internals stay in this log.
                    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, 50001, "Error in the backend data store");
                });
        routes.error(
                404,
                ctx -> {
                    if (ctx.attribute("answered") == null) {
                        error(
                                ctx,
                                404,
                                404,
                                "HTTP 404 Not Found: " + ctx.method() + " " + ctx.path());
                    }
                });
        routes.error(
                405,
                ctx ->
                        error(
                                ctx,
                                405,
                                405,
                                "HTTP 405 Method Not Allowed: " + ctx.method() + " " + ctx.path()));
    }

    private static void route(JavalinConfig config, HandlerType method, String path, Handler h) {
        config.routes.addHttpHandler(
                method,
                path,
                ctx -> {
                    ctx.attribute("answered", true);
                    h.handle(ctx);
                });
    }

    private void authenticate(Context ctx) throws BadRequest {
        if (!security.allows(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"twinlog-registry\"");
            throw new BadRequest(401, 401, "Unauthorized");
        }
    }

    private void compatibility(Context ctx, String version) throws IOException {
        List<String> problems = store.compatibilityProblems(subject(ctx), schemaOf(ctx), version);
        boolean verbose = "true".equals(ctx.queryParam("verbose"));
        answer(ctx, new Compatibility(problems.isEmpty(), verbose ? problems : null));
    }

    private void level(Context ctx, String subject) throws IOException {
        CompatibilityLevel level =
                subject == null ? store.globalLevel() : store.subjectLevel(subject);
        if (level == null) {
            if (!"true".equals(ctx.queryParam("defaultToGlobal"))) {
                throw new RegistryException(
                        404,
                        RegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                        "Subject '"
                                + subject
                                + "' does not have subject-level compatibility configured");
            }
            level = store.globalLevel();
        }
        answer(ctx, new Level(level.name()));
    }

    private void setLevel(Context ctx, String subject) throws IOException {
        String text = bodyOf(ctx).path("compatibility").asText("");
        CompatibilityLevel level;
        try {
            level = CompatibilityLevel.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    422,
                    RegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level '"
                            + text
                            + "'. Valid values are "
                            + Arrays.toString(CompatibilityLevel.values()));
        }
        store.setLevel(subject, level);
        answer(ctx, new LevelSet(level.name()));
    }

    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private static String schemaOf(Context ctx) throws IOException {
        JsonNode body = bodyOf(ctx);
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

    private static JsonNode bodyOf(Context ctx) throws IOException {
        try (InputStream in = ctx.bodyInputStream()) {
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
        } catch (JsonProcessingException e) {
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

    private static void answer(Context ctx, Object body) throws JsonProcessingException {
        ctx.contentType(CONTENT_TYPE).result(JSON.writeValueAsBytes(body));
    }

    private static void error(Context ctx, int status, int code, String message) {
        try {
            ctx.status(status);
            answer(ctx, new Error(code, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request this API cannot serve, outside Confluent's numbered errors. */
    static final class BadRequest extends IOException {
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
