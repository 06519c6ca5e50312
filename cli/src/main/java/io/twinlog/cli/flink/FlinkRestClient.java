package io.twinlog.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinlog.cli.output.CliException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** The parts of Flink's REST API the CLI uses (jars, jobs, savepoints), with readable errors. */
public final class FlinkRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final Duration timeout;
    private final HttpClient http;

    public FlinkRestClient(String url, Duration timeout) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String url() {
        return url;
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET(), timeout);
    }

    public JsonNode post(String path, JsonNode body, Duration requestTimeout) {
        return send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                requestTimeout);
    }

    public JsonNode patch(String path) {
        return send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()),
                timeout);
    }

    /** Deletes an uploaded jar (the job it ran keeps its own copy in the blob store). */
    public void deleteJar(String jarId) {
        send(HttpRequest.newBuilder(URI.create(url + "/jars/" + jarId)).DELETE(), timeout);
    }

    /** Uploads a job jar; returns the id Flink gives it. */
    public String uploadJar(Path jar) {
        String boundary = "twinlog-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                    + jar.getFileName()
                                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("cannot read the job jar " + jar + ": " + e.getMessage());
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(url + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                        Duration.ofMinutes(2));
        String file = answer.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /**
     * Runs an uploaded jar's main class; returns the job id. Flink 2 takes the arguments only as
     * the list {@code programArgsList}: the old string field {@code programArgs} is ignored without
     * a word.
     */
    public String runJar(
            String jarId,
            String entryClass,
            int parallelism,
            java.util.List<String> programArgs,
            String savepointPath,
            boolean allowNonRestoredState) {
        return runJar(
                jarId,
                entryClass,
                parallelism,
                programArgs,
                savepointPath,
                allowNonRestoredState,
                java.util.Map.of());
    }

    /**
     * As above, with Flink configuration for this job only (the request's {@code
     * flinkConfiguration}, FLIP-256), e.g. state backend options.
     */
    public String runJar(
            String jarId,
            String entryClass,
            int parallelism,
            java.util.List<String> programArgs,
            String savepointPath,
            boolean allowNonRestoredState,
            java.util.Map<String, String> flinkConfiguration) {
        ObjectNode request =
                JSON.createObjectNode()
                        .put("entryClass", entryClass)
                        .put("parallelism", parallelism);
        var list = request.putArray("programArgsList");
        programArgs.forEach(list::add);
        if (!flinkConfiguration.isEmpty()) {
            ObjectNode configuration = request.putObject("flinkConfiguration");
            flinkConfiguration.forEach(configuration::put);
        }
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath)
                    .put("allowNonRestoredState", allowNonRestoredState);
        }
        // main() runs on the JobManager, preflight checks included.
        return post("/jars/" + jarId + "/run", request, Duration.ofMinutes(2))
                .path("jobid")
                .asText();
    }

    /** The value of a JobManager configuration key, or null. */
    public String clusterConfig(String key) {
        for (JsonNode entry : get("/jobmanager/config")) {
            if (entry.path("key").asText().equals(key)) {
                return entry.path("value").asText();
            }
        }
        return null;
    }

    /**
     * Triggers a canonical savepoint (or stops the job with one) and waits for it.
     *
     * @param directory where to write it; null for the cluster's default savepoint directory
     * @return the savepoint's location
     */
    public String savepoint(String jobId, String directory, boolean stop, Duration timeout) {
        ObjectNode request = JSON.createObjectNode().put("formatType", "CANONICAL");
        if (stop) {
            request.put("drain", false);
            if (directory != null) {
                request.put("targetDirectory", directory);
            }
        } else {
            request.put("cancel-job", false);
            if (directory != null) {
                request.put("target-directory", directory);
            }
        }
        String trigger =
                post("/jobs/" + jobId + (stop ? "/stop" : "/savepoints"), request, this.timeout)
                        .path("request-id")
                        .asText();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new CliException(
                            "the savepoint failed: "
                                    + operation
                                            .path("failure-cause")
                                            .path("stack-trace")
                                            .asText(operation.path("failure-cause").toString())
                                            .split("\n")[0]);
                }
                return operation.path("location").asText();
            }
            pause(500);
        }
        throw new CliException(
                "the savepoint of job "
                        + jobId
                        + " did not complete within "
                        + timeout.toSeconds()
                        + " s");
    }

    private JsonNode send(HttpRequest.Builder request, Duration requestTimeout) {
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            request.timeout(requestTimeout).build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(
                    "cannot reach Flink at "
                            + url
                            + " ("
                            + e.getClass().getSimpleName()
                            + "; is the stack up? scripts/stack status; or check --flink-url)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while calling Flink");
        }
        JsonNode json;
        try {
            json =
                    response.body().isBlank()
                            ? JSON.createObjectNode()
                            : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode().put("body", response.body());
        }
        if (response.statusCode() >= 300) {
            throw new CliException(
                    "Flink answered " + response.statusCode() + ": " + FlinkErrors.summary(json));
        }
        return json;
    }

    /** Waits between two polls of Flink's REST API. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
