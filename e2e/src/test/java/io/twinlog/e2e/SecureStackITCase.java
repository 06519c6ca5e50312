package io.twinlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * The secured local stack ({@code scripts/stack up --secure}): a real broker on SASL_SSL with
 * SCRAM-SHA-512 and ACLs, the registry on HTTPS with basic authentication. The job runs end to end
 * as its own principal; every other principal can do what its role needs and no more; wrong or
 * missing credentials are refused with a message that says so; no secret shows anywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureStackITCase {

    private Scripts scripts;
    private Path secure;
    private TestTokens tokens;
    private final List<String> printed = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Path.of("target", "secure-stack-work").toAbsolutePath();
        if (Files.exists(work)) {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(work);
        scripts = new Scripts(root, work);
        secure = work.resolve("secure");
        tokens = new TestTokens(work.resolve("jwks.json"));
        scripts.environment.put("TWINLOG_READ_SIDE_JWKS", tokens.jwks.toString());
        scripts.environment.put("TWINLOG_READ_SIDE_JWT_ISSUER", TestTokens.ISSUER);
        scripts.environment.put("TWINLOG_READ_SIDE_JWT_AUDIENCE", TestTokens.AUDIENCE);
        Scripts.Result up = run(Duration.ofMinutes(5), "stack", "up", "--secure").ok();
        assertThat(up.output()).contains("secure: ACLs for", "readside: ready", "secured");
    }

    @AfterAll
    void down() throws Exception {
        if (scripts != null) {
            scripts.run(Duration.ofMinutes(3), "stack", "down");
        }
    }

    @Test
    void theJobRunsAsItsPrincipalAndEachRoleMayDoOnlyItsPart() throws Exception {
        // admin (the stack's default client file) creates the topics and submits the job
        run(Duration.ofMinutes(2), "twinlog", "topics", "create").ok();
        Scripts.Result submitted = run(Duration.ofMinutes(3), "twinlog", "submit").ok();
        assertThat(submitted.output()).contains("is RUNNING");

        // the gateway writes the log ...
        Scripts.Result sent =
                run(
                                Duration.ofMinutes(2),
                                "twinlog",
                                "simulate",
                                "--command-config",
                                client("device-gateway"),
                                "--devices",
                                "40",
                                "--rate",
                                "200",
                                "--duration",
                                "8s")
                        .ok();
        assertThat(sent.output()).contains("all acknowledged: yes");

        // ... the job, as twinlog-job, folds it and writes its outputs ...
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String summary = "";
        while (System.nanoTime() < deadline && !summary.contains("40 devices")) {
            Thread.sleep(2_000);
            summary = run(Duration.ofMinutes(1), "twinlog", "summary").output();
        }
        assertThat(summary).contains("twins                    40 devices");

        // ... the alerts consumer reads the alerts ...
        Scripts.Result alerts =
                run(
                                Duration.ofMinutes(1),
                                "twinlog",
                                "alerts",
                                "tail",
                                "--from-beginning",
                                "--max",
                                "1",
                                "--json",
                                "--command-config",
                                client("alerts-consumer"))
                        .ok();
        assertThat(alerts.output()).contains("\"status\"");

        // ... and nobody reads or writes what is not theirs.
        Scripts.Result gatewayReadsTwins =
                run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "twins",
                        "tail",
                        "--from-beginning",
                        "--max",
                        "1",
                        "--command-config",
                        client("device-gateway"));
        assertThat(gatewayReadsTwins.exit()).isEqualTo(1);
        assertThat(gatewayReadsTwins.output())
                .contains("this principal may not use the topics [device-twins]");
        Scripts.Result alertsConsumerWrites =
                run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "simulate",
                        "--command-config",
                        client("alerts-consumer"),
                        "--devices",
                        "5",
                        "--duration",
                        "3s");
        assertThat(alertsConsumerWrites.exit()).isNotZero();
        assertThat(alertsConsumerWrites.output())
                .contains("may not use the topics [device-events]");

        // the job's published options show references, never a secret
        String jobId = jobId(submitted.output());

        // operators see the job's health and failures, and can cancel it
        // the group's offsets are committed at checkpoints: wait for the first commit
        long lagDeadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        String jobs = run(Duration.ofMinutes(1), "twinlog", "jobs").ok().output();
        while (jobs.contains("no offset yet") && System.nanoTime() < lagDeadline) {
            Thread.sleep(2_000);
            jobs = run(Duration.ofMinutes(1), "twinlog", "jobs").ok().output();
        }
        assertThat(jobs)
                .contains(jobId + "  RUNNING")
                .contains("restarts 0")
                .contains("last checkpoint #")
                .containsPattern(
                        "lag of group twinlog-device-twin on device-events: [\\d,]+ records \\(p0 ")
                .doesNotContain("no offset yet");
        assertThat(run(Duration.ofMinutes(1), "twinlog", "job", "exceptions").ok().output())
                .contains("job " + jobId + " has not failed since it started");
        assertThat(run(Duration.ofMinutes(1), "stack", "status").output())
                .contains(jobId + "  RUNNING");
        String config = get("/jobs/" + jobId + "/config");
        assertThat(config).contains("\"properties.security.protocol\":\"SASL_SSL\"");
        printed.add(config);
        printed.add(get("/jobmanager/config"));
        printed.add(get("/jobs/" + jobId + "/exceptions"));
        assertNoSecretShown();

        Scripts.Result cancelled = run(Duration.ofMinutes(2), "twinlog", "cancel").ok();
        assertThat(cancelled.output())
                .contains("job " + jobId + " is CANCELED")
                .contains("scripts/twinlog resume --from file:");
    }

    @Test
    void wrongOrMissingCredentialsAreRefusedWithAClearMessage() throws Exception {
        Path wrongSecret = scripts.work.resolve("wrong.secret");
        Files.writeString(
                wrongSecret,
                Files.readString(secure.resolve("device-gateway.secret"))
                        .replaceAll("password=\"[^\"]*\"", "password=\"not-the-password\""));
        Path wrong = scripts.work.resolve("wrong.properties");
        Files.writeString(
                wrong,
                Files.readString(Path.of(client("device-gateway")))
                        .replace(
                                secure.resolve("device-gateway.secret").toString(),
                                wrongSecret.toString()));
        Scripts.Result wrongPassword =
                run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "topics",
                        "list",
                        "--command-config",
                        wrong.toString());
        assertThat(wrongPassword.exit()).isEqualTo(1);
        assertThat(wrongPassword.output())
                .contains("Kafka refused the credentials")
                .contains("invalid credentials with SASL mechanism SCRAM-SHA-512");

        Path plaintext = scripts.work.resolve("plaintext.properties");
        Files.writeString(plaintext, "security.protocol=PLAINTEXT\n");
        Scripts.Result noCredentials =
                run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "topics",
                        "list",
                        "--timeout",
                        "3s",
                        "--command-config",
                        plaintext.toString());
        assertThat(noCredentials.exit()).isEqualTo(1);
        assertThat(noCredentials.output())
                .contains("cannot reach Kafka")
                .contains("--command-config for a secured listener");

        // Kafka credentials but none for the registry: the registry says 401, and which setting
        Path kafkaOnly = scripts.work.resolve("kafka-only.properties");
        Files.writeString(
                kafkaOnly,
                Files.readString(Path.of(client("admin")))
                        .lines()
                        .filter(line -> !line.startsWith("schema.registry.basic.auth"))
                        .reduce("", (a, b) -> a + b + "\n"));
        Scripts.Result registry =
                run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "topics",
                        "create",
                        "--command-config",
                        kafkaOnly.toString());
        assertThat(registry.exit()).isEqualTo(1);
        assertThat(registry.output())
                .contains("HTTP 401")
                .contains("schema.registry.basic.auth.user.info");

        // a literal secret as a job option would show in the Flink web UI: refused before
        // submitting
        Scripts.Result literal =
                run(
                        Duration.ofMinutes(1),
                        "twinlog",
                        "submit",
                        "--",
                        "--properties.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"x\" password=\"literal-password\";");
        assertThat(literal.exit()).isNotZero();
        assertThat(literal.output())
                .contains("a secret given on the command line shows in the Flink web UI")
                .doesNotContain("literal-password");

        printed.add(run(Duration.ofMinutes(1), "twinlog", "--help").output());
        printed.add(run(Duration.ofMinutes(1), "twinlog", "submit", "--help").output());
        printed.add(run(Duration.ofMinutes(1), "stack", "status").output());
        assertNoSecretShown();
    }

    /**
     * The read side serves what Kafka's ACLs protect: on HTTPS only, nothing but the probe and the
     * API's description without credentials (the live stream and /metrics included), tokens only
     * from the configured issuer for the configured audience until they expire, only for its own
     * Host names; and the console works after its login.
     */
    @Test
    void theReadSideServesNothingWithoutCredentials() throws Exception {
        ReadSideClient side =
                new ReadSideClient(
                        "https://localhost:" + scripts.port("TWINLOG_READ_SIDE_PORT"),
                        secure.resolve("ca.pem"));
        assertThat(side.get("/health", null).statusCode()).isEqualTo(200);
        JsonNode api = new ObjectMapper().readTree(side.get("/api/openapi.json", null).body());
        List<String> refused = new ArrayList<>();
        api.path("paths")
                .fields()
                .forEachRemaining(
                        path ->
                                path.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                method -> {
                                                    String route = method + " " + path.getKey();
                                                    if (!ReadSideClient.PUBLIC.contains(route)) {
                                                        refused.add(route);
                                                    }
                                                }));
        assertThat(refused)
                .contains("get /metrics", "get /api/alerts/stream", "get /api/devices/{id}");
        for (String route : refused) {
            HttpResponse<String> answer = side.call(route, null);
            assertThat(answer.statusCode()).as(route).isEqualTo(401);
            assertThat(answer.body()).as(route).doesNotContain("deviceId");
        }

        String console = Files.readString(secure.resolve("console.secret"));
        String password = console.replaceAll("(?s).*password=([^\n]+).*", "$1");
        String basic =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        ("console:" + password).getBytes(StandardCharsets.UTF_8));
        assertThat(side.get("/api/info", basic).statusCode()).isEqualTo(200);
        assertThat(side.get("/metrics", basic).body()).contains("twinlog_readside_");
        assertThat(side.get("/api/info", "Basic Y29uc29sZTpub3QtaXQ=").statusCode())
                .as("a wrong password")
                .isEqualTo(401);
        // The CLI asks the read side over HTTPS as the console's user (the stack's scripts give it
        // the user's password by reference and the stack's CA).
        assertThat(run(Duration.ofMinutes(2), "twinlog", "verify-read-side").ok().output())
                .contains("devices checked of");
        assertThat(
                        run(
                                        Duration.ofMinutes(1),
                                        "twinlog",
                                        "verify-read-side",
                                        "--read-side-user-info",
                                        "console:not-a-reference")
                                .output())
                .contains("--read-side-user-info must give the password by reference");

        assertThat(side.get("/api/info", tokens.bearer(TestTokens.AUDIENCE, 60)).statusCode())
                .isEqualTo(200);
        assertThat(side.get("/api/info", tokens.bearer("another-service", 60)).statusCode())
                .as("a token for another audience")
                .isEqualTo(401);
        assertThat(side.get("/api/info", tokens.bearer(TestTokens.AUDIENCE, -600)).statusCode())
                .as("an expired token")
                .isEqualTo(401);
        assertThat(side.get("/api/info", tokens.forged(TestTokens.AUDIENCE)).statusCode())
                .as("a token signed by another key")
                .isEqualTo(401);

        assertThat(side.statusWithHost("/api/info", "rebound.example", basic))
                .as("a foreign Host")
                .isEqualTo(421);
        assertThat(side.statusWithHost("/api/info", "localhost", basic)).isEqualTo(200);
        assertThat(side.plainHttpAnswers()).as("plain HTTP on the TLS port").isFalse();

        try (Browser browser =
                new Browser(scripts.work, "--ignore-certificate-errors-spki-list=" + side.spki())) {
            browser.driver.get(side.base + "/");
            browser.await(d -> d.getCurrentUrl().contains("/login.html"), Duration.ofSeconds(30));
            browser.driver.findElement(By.id("username")).sendKeys("console");
            browser.driver.findElement(By.id("password")).sendKeys(password);
            browser.driver.findElement(By.id("login")).click();
            browser.await(
                    d -> !d.findElements(By.id("count-total")).isEmpty(), Duration.ofSeconds(30));
            assertThat(browser.driver.getCurrentUrl()).doesNotContain(password);
            printed.add(browser.driver.getCurrentUrl());
        }
        printed.add(run(Duration.ofMinutes(1), "stack", "status").output());
        assertNoSecretShown();
    }

    /** No password of any principal nor the key store's in anything printed, logged or served. */
    private void assertNoSecretShown() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (Stream<Path> files = Files.list(secure)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".secret")).toList()) {
                Matcher password =
                        Pattern.compile("(?m)^password=(.+)$").matcher(Files.readString(file));
                assertThat(password.find()).isTrue();
                secrets.add(password.group(1));
            }
        }
        secrets.add(Files.readString(secure.resolve("keystore.password")).strip());
        assertThat(secrets).hasSize(7);
        List<String> shown = new ArrayList<>(printed);
        try (Stream<Path> logs = Files.walk(scripts.work.resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                shown.add(Files.readString(log));
            }
        }
        for (String text : shown) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private Scripts.Result run(Duration timeout, String script, String... args) throws Exception {
        Scripts.Result result = scripts.run(timeout, script, args);
        printed.add(result.output());
        return result;
    }

    private String client(String principal) {
        return secure.resolve(principal + ".properties").toString();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://localhost:"
                                                                + scripts.port("TWINLOG_FLINK_PORT")
                                                                + path))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static String jobId(String submitOutput) {
        Matcher id = Pattern.compile("job ([0-9a-f]{32}) is RUNNING").matcher(submitOutput);
        assertThat(id.find()).as(submitOutput).isTrue();
        return id.group(1);
    }
}
