package io.twinlog.readside.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.ReadSideConfig;
import io.twinlog.readside.api.Answers;
import io.twinlog.readside.api.ApiParam;
import io.twinlog.readside.api.ApiRoute;
import io.twinlog.readside.api.Params;
import io.twinlog.registry.server.DevSchemaRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side's HTTP layer on an empty index (no broker needed): the route table and its OpenAPI
 * document, the Host check and the security headers, who is let in with which credentials, and
 * clients that are slow on purpose.
 */
class ReadSideHttpTest {

    @TempDir Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private DevSchemaRegistry registry;
    private ReadSide side;
    private ReadSideServer server;
    private String base;

    @BeforeEach
    void open() throws Exception {
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse();
        side =
                ReadSide.open(
                        new ReadSideConfig(
                                () -> options,
                                "127.0.0.1:1",
                                registry.url(),
                                Duration.ofSeconds(5),
                                dir.resolve("index"),
                                1_000));
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close();
        }
        side.close();
        registry.close();
    }

    private void serve(ReadSideAccess access) {
        server = ReadSideServer.start(side, access);
        base = "http://127.0.0.1:" + server.port();
    }

    private void serveOpen() {
        serve(
                new ReadSideAccess(
                        "127.0.0.1",
                        0,
                        ReadSideAccess.localNames("127.0.0.1"),
                        ReadSideAccess.Authentication.NONE,
                        null));
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesServed() throws Exception {
        serveOpen();
        JsonNode doc = json(get("/api/openapi.json", null));

        Set<String> described = new TreeSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(
                        path ->
                                path.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                method ->
                                                        described.add(
                                                                method + " " + path.getKey())));
        assertThat(described).isEqualTo(new TreeSet<>(server.servedPaths()));
        assertThat(described)
                .contains(
                        "get /api/devices/{id}/as-of",
                        "get /api/alerts/stream",
                        "get /metrics",
                        "post /api/session");
        assertThat(doc.path("components").path("schemas").path("HistoryAnswer").path("properties"))
                .isNotEmpty();
    }

    @Test
    void answersCarryTheSecurityHeadersAndAForeignHostIsRefused() throws Exception {
        serveOpen();
        HttpResponse<String> answer = get("/api/fleet", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(json(answer).has("indexedThrough")).isTrue();

        // What a page of another site gets through DNS rebinding: its own name as the Host.
        String raw = rawRequest("GET /api/fleet HTTP/1.1\r\nHost: evil.example:8090\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 421");
        assertThat(raw).contains("not reached as evil.example:8090");
    }

    @Test
    void oneFleetCheckAtATime() throws Exception {
        ReadSideRoutes routes = new ReadSideRoutes(side);
        ApiRoute verify =
                routes.all().stream()
                        .filter(route -> route.path().equals("/api/verify"))
                        .findFirst()
                        .orElseThrow();
        Map<String, ApiParam> declared =
                verify.params().stream().collect(Collectors.toMap(ApiParam::name, p -> p));
        Params params = new Params(declared, name -> null, name -> null, null);
        assertThat(verify.handler().answer(params)).isInstanceOf(Answers.VerifyAnswer.class);

        routes.fleetChecks.acquire(); // a check in progress
        try {
            assertThatThrownBy(() -> verify.handler().answer(params))
                    .isInstanceOfSatisfying(
                            ReadSideAccess.Refused.class,
                            refused -> {
                                assertThat(refused.status()).isEqualTo(429);
                                assertThat(refused.challenge()).containsKey("Retry-After");
                            });
        } finally {
            routes.fleetChecks.release();
        }
        assertThat(verify.handler().answer(params)).isInstanceOf(Answers.VerifyAnswer.class);
    }

    @Test
    void aPlusInADevicePathIsAPlus() throws Exception {
        serveOpen();
        assertThat(json(get("/api/devices/plus+dev", null)).path("error").asText())
                .isEqualTo("no device 'plus+dev' in the log");
    }

    @Test
    void withPasswordsEveryRouteButTheProbeNeedsCredentials() throws Exception {
        Path passwords = dir.resolve("users");
        Files.writeString(
                passwords,
                PasswordFile.line("ops", Set.of(Caller.READ), "s3cret")
                        + "\n"
                        + PasswordFile.line("nobody", Set.of("other"), "s3cret")
                        + "\n");
        serve(
                new ReadSideAccess(
                        "127.0.0.1",
                        0,
                        ReadSideAccess.localNames("127.0.0.1"),
                        new ReadSideAccess.Authentication(PasswordFile.read(passwords), null),
                        null));

        for (String path :
                List.of(
                        "/api/fleet",
                        "/api/info",
                        "/api/alerts",
                        "/api/alerts/stream",
                        "/api/devices/d1",
                        "/api/devices/d1/history",
                        "/api/devices/d1/as-of?time=2026-01-01T00:00:00Z",
                        "/api/devices/d1/alerts",
                        "/metrics",
                        "/ready")) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, basic("ops", "wrong")).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, basic("nobody", "s3cret")).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(get("/api/fleet", basic("ops", "s3cret")).statusCode()).isEqualTo(200);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);

        // The console's login: the password in the body, a session cookie back.
        HttpResponse<String> login =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/session"))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"username\":\"ops\",\"password\":\"s3cret\"}"))
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));
        HttpResponse<String> withSession =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/fleet"))
                                .header("Cookie", session)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(withSession.statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenCountsOnlyFromItsIssuerForItsAudienceUntilItExpires() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        serve(
                new ReadSideAccess(
                        "127.0.0.1",
                        0,
                        ReadSideAccess.localNames("127.0.0.1"),
                        new ReadSideAccess.Authentication(
                                null,
                                new JwtVerifier(jwks.toString(), "https://idp.example", "twinlog")),
                        null));
        Instant later = Instant.now().plusSeconds(600);

        assertThat(
                        get(
                                        "/api/fleet",
                                        bearer(
                                                key,
                                                "https://idp.example",
                                                "twinlog",
                                                later,
                                                "read"))
                                .statusCode())
                .isEqualTo(200);
        assertThat(
                        get(
                                        "/api/fleet",
                                        bearer(key, "https://idp.example", "other", later, "read"))
                                .statusCode())
                .as("another audience")
                .isEqualTo(401);
        assertThat(
                        get(
                                        "/api/fleet",
                                        bearer(
                                                key,
                                                "https://evil.example",
                                                "twinlog",
                                                later,
                                                "read"))
                                .statusCode())
                .as("another issuer")
                .isEqualTo(401);
        assertThat(
                        get(
                                        "/api/fleet",
                                        bearer(
                                                key,
                                                "https://idp.example",
                                                "twinlog",
                                                Instant.now().minusSeconds(600),
                                                "read"))
                                .statusCode())
                .as("expired")
                .isEqualTo(401);
        RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertThat(
                        get(
                                        "/api/fleet",
                                        bearer(
                                                other,
                                                "https://idp.example",
                                                "twinlog",
                                                later,
                                                "read"))
                                .statusCode())
                .as("signed by another key")
                .isEqualTo(401);
        assertThat(
                        get(
                                        "/api/fleet",
                                        bearer(
                                                key,
                                                "https://idp.example",
                                                "twinlog",
                                                later,
                                                "operate"))
                                .statusCode())
                .as("a token without the read scope")
                .isEqualTo(403);
        assertThat(get("/api/fleet", null).headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"twinlog\"");
    }

    @Test
    void clientsThatSendHalfARequestOrNeverReadDoNotStopTheService() throws Exception {
        serveOpen();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket half = new Socket("127.0.0.1", server.port());
                half.getOutputStream()
                        .write(
                                "GET /api/fleet HTTP/1.1\r\nHost: localhost\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(half);
            }
            for (int i = 0; i < 60; i++) {
                Socket deaf = new Socket("127.0.0.1", server.port());
                deaf.setReceiveBufferSize(1024);
                OutputStream out = deaf.getOutputStream();
                for (int r = 0; r < 20; r++) {
                    out.write(
                            "GET /api/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                }
                slow.add(deaf);
            }
            long began = System.nanoTime();
            HttpResponse<String> answer = get("/api/fleet", null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - began))
                    .as("answered while 100 slow clients hold their connections")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (path.endsWith("/stream")) {
            request.header("Accept", "text/event-stream");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String rawRequest(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            return new String(buffer, 0, Math.max(read, 0), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        return Answers.MAPPER.readTree(answer.body());
    }

    private static String basic(String user, String password) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(
            RSAKey key, String issuer, String audience, Instant expires, String scope)
            throws Exception {
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                        new JWTClaimsSet.Builder()
                                .subject("someone")
                                .issuer(issuer)
                                .audience(audience)
                                .expirationTime(Date.from(expires))
                                .claim("scope", scope)
                                .build());
        jwt.sign(new RSASSASigner(key));
        return "Bearer " + jwt.serialize();
    }
}
