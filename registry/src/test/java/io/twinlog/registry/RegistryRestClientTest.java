package io.twinlog.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.CompatibilityLevel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the development registry, over HTTP: the Confluent API and its error codes.
 */
class RegistryRestClientTest {

    private static final Schema V1 =
            parse(
                    """
            {"type":"record","name":"Reading","namespace":"t","fields":[{"name":"value","type":"double"}]}""");
    private static final Schema V2 =
            parse(
                    """
            {"type":"record","name":"Reading","namespace":"t","fields":[{"name":"value","type":"double"},
             {"name":"unit","type":"string","default":""}]}""");
    private static final Schema V3_REQUIRED =
            parse(
                    """
            {"type":"record","name":"Reading","namespace":"t","fields":[{"name":"value","type":"double"},
             {"name":"sensor","type":"string"}]}""");

    @TempDir Path dir;

    private DevSchemaRegistry server;
    private RegistryRestClient client;

    @BeforeEach
    void start() throws IOException {
        server = DevSchemaRegistry.start("127.0.0.1", 0, dir.resolve("journal.jsonl"));
        client = new RegistryRestClient(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersVersionsWithGlobalIds() throws IOException {
        int v1 = client.register("readings-value", V1);
        int again = client.register("readings-value", V1);
        int v2 = client.register("readings-value", V2);
        int elsewhere = client.register("other-value", V1);

        assertThat(again).isEqualTo(v1);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(elsewhere).as("same schema, same id across subjects").isEqualTo(v1);
        assertThat(client.versions("readings-value")).containsExactly(1, 2);
        assertThat(client.subjects()).containsExactly("other-value", "readings-value");
        assertThat(client.schemaById(v2)).isEqualTo(V2);
        assertThat(client.version("readings-value", "latest"))
                .isEqualTo(new SchemaVersion("readings-value", 2, v2, V2.toString()));
        assertThat(client.version("readings-value", "1").id()).isEqualTo(v1);
        assertThat(client.lookup("readings-value", V1))
                .isEqualTo(new SchemaVersion("readings-value", 1, v1, V1.toString()));
    }

    @Test
    void answersWithConfluentErrorCodes() throws IOException {
        client.register("readings-value", V1);

        assertErrorCode(() -> client.schemaById(999), 404, RegistryException.SCHEMA_NOT_FOUND);
        assertErrorCode(
                () -> client.versions("nobody-value"), 404, RegistryException.SUBJECT_NOT_FOUND);
        assertErrorCode(
                () -> client.lookup("nobody-value", V1), 404, RegistryException.SUBJECT_NOT_FOUND);
        assertErrorCode(
                () -> client.lookup("readings-value", V2), 404, RegistryException.SCHEMA_NOT_FOUND);
        assertErrorCode(
                () -> client.version("readings-value", "7"),
                404,
                RegistryException.VERSION_NOT_FOUND);
        assertErrorCode(
                () -> client.version("readings-value", "seven"),
                422,
                RegistryException.INVALID_VERSION);
        assertErrorCode(
                () -> client.register("readings-value", V3_REQUIRED),
                409,
                RegistryException.INCOMPATIBLE);
    }

    @Test
    void enforcesTheSubjectsCompatibilityLevel() throws IOException {
        client.register("readings-value", V1);
        assertThat(client.compatibility("readings-value")).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.isCompatible("readings-value", V2)).isTrue();
        assertThat(client.isCompatible("readings-value", V3_REQUIRED)).isFalse();

        client.setCompatibility("readings-value", CompatibilityLevel.NONE);
        assertThat(client.compatibility("readings-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.register("readings-value", V3_REQUIRED)).isPositive();
    }

    @Test
    void transitiveLevelsCheckEveryVersion() throws IOException {
        Schema v2WithDefault =
                parse(
                        """
                {"type":"record","name":"Reading","namespace":"t","fields":[{"name":"value","type":"double"},
                 {"name":"sensor","type":"string","default":"s"}]}""");
        client.setCompatibility("readings-value", CompatibilityLevel.BACKWARD_TRANSITIVE);
        client.register("readings-value", V1);
        client.register("readings-value", v2WithDefault);

        // Reads v2 data (sensor is there) but not v1 data (no sensor, no default).
        assertErrorCode(
                () -> client.register("readings-value", V3_REQUIRED),
                409,
                RegistryException.INCOMPATIBLE);
        client.setCompatibility("readings-value", CompatibilityLevel.BACKWARD);
        assertThat(client.register("readings-value", V3_REQUIRED)).isPositive();
    }

    @Test
    void keepsSchemasAndIdsAcrossRestarts() throws IOException {
        int v1 = client.register("readings-value", V1);
        int v2 = client.register("readings-value", V2);
        client.setCompatibility("readings-value", CompatibilityLevel.FULL);
        server.close();

        server = DevSchemaRegistry.start("127.0.0.1", 0, dir.resolve("journal.jsonl"));
        client = new RegistryRestClient(server.url());

        assertThat(client.schemaById(v1)).isEqualTo(V1);
        assertThat(client.schemaById(v2)).isEqualTo(V2);
        assertThat(client.versions("readings-value")).containsExactly(1, 2);
        assertThat(client.compatibility("readings-value")).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void anUnreachableRegistryIsRetryableAndNamesTheUrl() throws IOException {
        int deadPort = freePort();
        RegistryRestClient dead =
                new RegistryRestClient("http://127.0.0.1:" + deadPort, Duration.ofSeconds(2));

        assertThatThrownBy(() -> dead.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + deadPort);
    }

    @Test
    void failsOverToTheNextUrl() throws IOException {
        int id = client.register("readings-value", V1);
        RegistryRestClient twoUrls =
                new RegistryRestClient(
                        "http://127.0.0.1:" + freePort() + ", " + server.url(),
                        Duration.ofSeconds(2));

        assertThat(twoUrls.schemaById(id)).isEqualTo(V1);
    }

    @Test
    void refusesMalformedUrlsAtConstruction() {
        assertThatThrownBy(() -> new RegistryRestClient("localhost:8085"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://host:port");
        assertThatThrownBy(() -> new RegistryRestClient(" , "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidSchemasAreRefusedWith42201() throws IOException {
        var http = java.net.http.HttpClient.newHttpClient();
        var response =
                send(
                        http,
                        "POST",
                        "/subjects/x-value/versions",
                        "{\"schema\": \"{\\\"type\\\": \\\"nope\\\"}\"}");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"error_code\":42201");

        var protobuf =
                send(
                        http,
                        "POST",
                        "/subjects/x-value/versions",
                        "{\"schema\": \"syntax\", \"schemaType\": \"PROTOBUF\"}");
        assertThat(protobuf.body()).contains("\"error_code\":42201").contains("AVRO only");

        var unknownRoute = send(http, "GET", "/nothing/here", null);
        assertThat(unknownRoute.statusCode()).isEqualTo(404);
    }

    private java.net.http.HttpResponse<String> send(
            java.net.http.HttpClient http, String method, String path, String body)
            throws IOException {
        var request =
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
                        .method(
                                method,
                                body == null
                                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build();
        try {
            return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static void assertErrorCode(ThrowingCall call, int status, int code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(status);
                            assertThat(e.errorCode()).isEqualTo(code);
                        });
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
