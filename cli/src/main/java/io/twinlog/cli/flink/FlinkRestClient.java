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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

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

    /** A GET whose answer reads as one of {@link FlinkResponses}' records. */
    public <T> T get(String path, Class<T> type) {
        return FlinkResponses.read(get(path), type);
    }

    public FlinkResponses.JobsOverview jobs() {
        return get("/jobs/overview", FlinkResponses.JobsOverview.class);
    }

    public FlinkResponses.JobDetails job(String jobId) {
        return get("/jobs/" + jobId, FlinkResponses.JobDetails.class);
    }

    public FlinkResponses.Checkpoints checkpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints", FlinkResponses.Checkpoints.class);
    }

    /** The job's latest failures, newest first, at most {@code max}. */
    public FlinkResponses.Exceptions exceptions(String jobId, int max) {
        return get(
                "/jobs/" + jobId + "/exceptions?maxExceptions=" + max,
                FlinkResponses.Exceptions.class);
    }

    public List<FlinkResponses.Metric> metrics(String jobId, String... names) {
        return List.of(
                get(
                        "/jobs/" + jobId + "/metrics?get=" + String.join(",", names),
                        FlinkResponses.Metric[].class));
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
        HttpEntity form =
                MultipartEntityBuilder.create()
                        .addBinaryBody(
                                "jarfile",
                                jar.toFile(),
                                ContentType.create("application/x-java-archive"),
                                jar.getFileName().toString())
                        .build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            form.writeTo(body);
        } catch (IOException e) {
            throw new CliException("cannot read the job jar " + jar + ": " + e.getMessage());
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(url + "/jars/upload"))
                                .header("Content-Type", form.getContentType())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                        Duration.ofMinutes(2));
        String file = FlinkResponses.read(answer, FlinkResponses.JarUpload.class).filename();
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
        return FlinkResponses.read(
                        post("/jars/" + jarId + "/run", request, Duration.ofMinutes(2)),
                        FlinkResponses.JarRun.class)
                .jobid();
    }

    /** The value of a JobManager configuration key, or null. */
    public String clusterConfig(String key) {
        for (var entry : get("/jobmanager/config", FlinkResponses.ConfigEntry[].class)) {
            if (key.equals(entry.key())) {
                return entry.value();
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
                FlinkResponses.read(
                                post(
                                        "/jobs/" + jobId + (stop ? "/stop" : "/savepoints"),
                                        request,
                                        this.timeout),
                                FlinkResponses.Trigger.class)
                        .requestId();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            var status =
                    get(
                            "/jobs/" + jobId + "/savepoints/" + trigger,
                            FlinkResponses.SavepointStatus.class);
            if (status.completed()) {
                JsonNode failure = status.operation().failureCause();
                if (failure != null && !failure.isNull()) {
                    throw new CliException(
                            "the savepoint failed: "
                                    + failure.path("stack-trace")
                                            .asText(failure.toString())
                                            .split("\n")[0]);
                }
                return status.operation().location();
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
