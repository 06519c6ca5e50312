package io.twinlog.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the development registry does with requests a client should not send. */
class RegistryHttpApiTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private DevSchemaRegistry server;

    @BeforeEach
    void start() throws IOException {
        server = DevSchemaRegistry.start("127.0.0.1", 0, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aBodyLargerThanTheBoundIsRefusedUnread() throws Exception {
        byte[] body = new byte[RegistryHttpApi.MAX_BODY_BYTES + 10];
        Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = post("/subjects/big-value/versions", body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("larger than " + RegistryHttpApi.MAX_BODY_BYTES);
    }

    @Test
    void aBodyWithinTheBoundIsRead() throws Exception {
        String schema = "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}";
        HttpResponse<String> response = post("/subjects/small-value/versions", schema.getBytes());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\"");
    }

    @Test
    void malformedBodiesGetAClientErrorWithoutInternals() throws Exception {
        HttpResponse<String> response = post("/subjects/x-value/versions", "{not json".getBytes());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at com.");
    }

    @Test
    void aPlusInASubjectIsAPlusAndUnknownPathsAnswerInTheRegistrysErrorFormat() throws Exception {
        String schema = "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}";
        assertThat(post("/subjects/a+b-value/versions", schema.getBytes()).statusCode())
                .isEqualTo(200);
        assertThat(get("/subjects").body()).isEqualTo("[\"a+b-value\"]");
        assertThat(get("/subjects/a+b-value/versions").body()).isEqualTo("[1]");

        HttpResponse<String> unknown = get("/no/such/path");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type"))
                .contains(RegistryHttpApi.CONTENT_TYPE);
        assertThat(unknown.body()).contains("\"error_code\":404");
        HttpResponse<String> method =
                http.send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/subjects"))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(method.statusCode()).isIn(404, 405);
        assertThat(method.body()).contains("\"error_code\":" + method.statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
