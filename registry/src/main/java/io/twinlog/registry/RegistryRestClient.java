package io.twinlog.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.schema.CompatibilityLevel;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;

/**
 * A client for the subset of the Confluent Schema Registry REST API that twinlog uses. It speaks
 * only the documented API, so it works unchanged against Confluent Schema Registry, Karapace,
 * Apicurio's ccompat API (base URL {@code .../apis/ccompat/v7}) and twinlog's development registry.
 *
 * <p>Several base URLs may be given, comma-separated: a request goes to the next one when a
 * registry cannot be reached. Credentials in a URL ({@code https://user:secret@host}) are sent as
 * HTTP basic authentication. This class does not cache; wrap it in {@link CachingSchemaRegistry} on
 * hot paths.
 */
public final class RegistryRestClient implements SchemaRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Endpoint> endpoints;
    private final Duration requestTimeout;
    private final HttpClient http;

    public RegistryRestClient(String urls) {
        this(urls, Duration.ofSeconds(10));
    }

    public RegistryRestClient(String urls, Duration requestTimeout) {
        this(urls, requestTimeout, RegistryAuth.none());
    }

    /**
     * @param auth basic authentication for every URL without credentials of its own, and the
     *     certificates to trust
     */
    public RegistryRestClient(String urls, Duration requestTimeout, RegistryAuth auth) {
        String authorization = auth.authorization();
        this.endpoints =
                Arrays.stream(urls.split(","))
                        .map(String::trim)
                        .filter(u -> !u.isEmpty())
                        .map(url -> Endpoint.parse(url, authorization))
                        .toList();
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no schema registry URL given");
        }
        this.requestTimeout = requestTimeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(requestTimeout);
        SSLContext ssl = auth.sslContext();
        if (ssl != null) {
            http.sslContext(ssl);
        }
        this.http = http.build();
    }

    /** The URLs this client talks to, without credentials (for messages). */
    public String urls() {
        return String.join(",", endpoints.stream().map(e -> e.base().toString()).toList());
    }

    @Override
    public Schema schemaById(int id) throws IOException {
        JsonNode body = send("GET", "/schemas/ids/" + id, null);
        return parse(body.path("schema").asText());
    }

    @Override
    public int register(String subject, Schema schema) throws IOException {
        JsonNode body =
                send("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(schema));
        return body.path("id").asInt();
    }

    /**
     * The version of the subject that holds this schema: SUBJECT_NOT_FOUND or SCHEMA_NOT_FOUND
     * otherwise.
     */
    public SchemaVersion lookup(String subject, Schema schema) throws IOException {
        return toVersion(send("POST", "/subjects/" + segment(subject), schemaBody(schema)));
    }

    public List<String> subjects() throws IOException {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    public List<Integer> versions(String subject) throws IOException {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + segment(subject) + "/versions", null)
                .forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    /**
     * @param version a version number or {@code latest}
     */
    public SchemaVersion version(String subject, String version) throws IOException {
        return toVersion(
                send(
                        "GET",
                        "/subjects/" + segment(subject) + "/versions/" + segment(version),
                        null));
    }

    /** Whether the subject's compatibility policy accepts the schema against the latest version. */
    public boolean isCompatible(String subject, Schema schema) throws IOException {
        JsonNode body =
                send(
                        "POST",
                        "/compatibility/subjects/" + segment(subject) + "/versions/latest",
                        schemaBody(schema));
        return body.path("is_compatible").asBoolean(false);
    }

    /** The subject's level, or the global one when the subject has none of its own. */
    public CompatibilityLevel compatibility(String subject) throws IOException {
        try {
            return level(send("GET", "/config/" + segment(subject), null));
        } catch (RegistryException e) {
            if (e.errorCode() != RegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED
                    && e.errorCode() != RegistryException.SUBJECT_NOT_FOUND) {
                throw e;
            }
            return level(send("GET", "/config", null));
        }
    }

    public void setCompatibility(String subject, CompatibilityLevel level) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config/" + segment(subject), body);
    }

    private static CompatibilityLevel level(JsonNode body) {
        String level =
                body.has("compatibilityLevel")
                        ? body.get("compatibilityLevel").asText()
                        : body.path("compatibility").asText();
        return CompatibilityLevel.valueOf(level);
    }

    private JsonNode send(String method, String path, JsonNode body) throws IOException {
        IOException unreachable = null;
        for (Endpoint endpoint : endpoints) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(endpoint.resolve(path))
                            .timeout(requestTimeout)
                            .header("Accept", ACCEPT);
            if (endpoint.authorization() != null) {
                request.header("Authorization", endpoint.authorization());
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response;
            try {
                response =
                        http.send(
                                request.build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // Connection refused, timed out, reset: try the next URL.
                unreachable = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(
                        "interrupted while calling the schema registry", e);
            }
            return interpret(method, endpoint.resolve(path), response);
        }
        throw new RegistryUnavailableException(
                "schema registry unreachable at "
                        + urls()
                        + " ("
                        + (unreachable == null ? "no endpoint" : describe(unreachable))
                        + ")",
                unreachable);
    }

    private static JsonNode interpret(String method, URI uri, HttpResponse<String> response)
            throws IOException {
        int status = response.statusCode();
        JsonNode json;
        try {
            json =
                    response.body() == null || response.body().isBlank()
                            ? JSON.createObjectNode()
                            : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode().put("message", response.body());
        }
        if (status >= 200 && status < 300) {
            return json;
        }
        String message = json.path("message").asText(response.body());
        if (status == 401 || status == 403) {
            throw new RegistryException(
                    status,
                    status,
                    "the schema registry refused "
                            + method
                            + " "
                            + uri.getPath()
                            + " (HTTP "
                            + status
                            + (status == 401
                                    ? ": missing or wrong credentials; set "
                                            + RegistryAuth.USER_INFO
                                            + ")"
                                    : ": these credentials may not do this)"));
        }
        if (status >= 500) {
            throw new RegistryUnavailableException(
                    "schema registry failed on "
                            + method
                            + " "
                            + uri
                            + ": HTTP "
                            + status
                            + " "
                            + message,
                    null);
        }
        int errorCode = json.path("error_code").asInt(status);
        throw new RegistryException(status, errorCode, message);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static SchemaVersion toVersion(JsonNode body) {
        return new SchemaVersion(
                body.path("subject").asText(),
                body.path("version").asInt(),
                body.path("id").asInt(),
                body.path("schema").asText());
    }

    private static Schema parse(String schema) throws RegistryException {
        try {
            return new Schema.Parser().parse(schema);
        } catch (RuntimeException e) {
            throw new RegistryException(
                    200,
                    RegistryException.INVALID_SCHEMA,
                    "the registry returned a schema that does not parse: " + e.getMessage());
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A base URL with its credentials taken out. */
    private record Endpoint(URI base, String authorization) {

        static Endpoint parse(String url, String defaultAuthorization) {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "not a schema registry URL: '" + url + "' (expected http://host:port)");
            }
            String authorization = defaultAuthorization;
            if (uri.getRawUserInfo() != null) {
                authorization =
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                java.net.URLDecoder.decode(
                                                                uri.getRawUserInfo(),
                                                                StandardCharsets.UTF_8)
                                                        .getBytes(StandardCharsets.UTF_8));
                uri =
                        URI.create(
                                uri.getScheme()
                                        + "://"
                                        + uri.getHost()
                                        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                                        + uri.getRawPath());
            }
            return new Endpoint(uri, authorization);
        }

        URI resolve(String path) {
            return URI.create(base + path);
        }
    }
}
