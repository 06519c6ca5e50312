package io.twinlog.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinlog.cli.flink.FlinkRestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A DeviceTwinJob on the stack's Flink cluster, driven through the REST API. */
public final class FlinkJob {

    private static final String ENTRY_CLASS = "io.twinlog.jobs.DeviceTwinJob";

    private final FlinkRestClient flink;
    private final String id;

    private FlinkJob(FlinkRestClient flink, String id) {
        this.flink = flink;
        this.id = id;
    }

    public static FlinkRestClient client(LocalStack stack) {
        return new FlinkRestClient(stack.flinkUrl(), Duration.ofSeconds(30));
    }

    /**
     * Uploads the job jar and runs DeviceTwinJob with the given options, restoring a savepoint or
     * checkpoint if one is given; returns once every task runs.
     */
    public static FlinkJob start(
            LocalStack stack, Map<String, String> options, String restoreFrom) {
        FlinkJob job = submit(stack, options, restoreFrom, Map.of());
        job.awaitAllTasksRunning(Duration.ofMinutes(2));
        return job;
    }

    /**
     * Uploads the job jar and submits DeviceTwinJob with the given options and Flink configuration
     * of its own; returns once the cluster has accepted it (main ran), not when its tasks run.
     */
    public static FlinkJob submit(
            LocalStack stack,
            Map<String, String> options,
            String restoreFrom,
            Map<String, String> flinkConfiguration) {
        return submit(stack, stack.jobJar(), options, restoreFrom, flinkConfiguration);
    }

    /** As above, with a job jar of another build (an earlier release, say). */
    public static FlinkJob submit(
            LocalStack stack,
            Path jobJar,
            Map<String, String> options,
            String restoreFrom,
            Map<String, String> flinkConfiguration) {
        FlinkRestClient flink = client(stack);
        List<String> args = new ArrayList<>();
        options.forEach((key, value) -> args.addAll(List.of("--" + key, value)));
        String jarId = flink.uploadJar(jobJar);
        return new FlinkJob(
                flink,
                flink.runJar(jarId, ENTRY_CLASS, 2, args, restoreFrom, false, flinkConfiguration));
    }

    public static FlinkJob attach(LocalStack stack, String id) {
        return new FlinkJob(client(stack), id);
    }

    public String id() {
        return id;
    }

    public String state() {
        return flink.get("/jobs/" + id).path("state").asText();
    }

    /**
     * Waits until the job and every one of its tasks run; fails at once if the job fails for good.
     */
    public void awaitAllTasksRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (allTasksRunning()) {
                return;
            }
            String state = state();
            if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
                throw new IllegalStateException(
                        "job " + id + " is " + state + ": " + rootException());
            }
            sleep(200);
        }
        throw new IllegalStateException(
                "job " + id + " did not get all its tasks running within " + timeout);
    }

    public boolean allTasksRunning() {
        JsonNode job = flink.get("/jobs/" + id);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            JsonNode counts = vertex.path("tasks");
            if (counts.path("RUNNING").asInt() != vertex.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    /** How often the job restarted (after failures) so far. */
    public long restarts() {
        JsonNode metric = flink.get("/jobs/" + id + "/metrics?get=numRestarts");
        return metric.isArray() && metric.size() > 0 ? metric.get(0).path("value").asLong() : 0;
    }

    public String rootException() {
        return flink.get("/jobs/" + id + "/exceptions")
                .path("root-exception")
                .asText("")
                .split("\n")[0];
    }

    /**
     * The fold operator's metrics whose names end with one of the suffixes, each summed over its
     * subtasks (e.g. RocksDB's {@code rocksdb_block_cache_hit}).
     */
    public Map<String, Double> foldMetrics(List<String> suffixes) {
        Map<String, Double> values = new java.util.TreeMap<>();
        for (JsonNode vertex : flink.get("/jobs/" + id).path("vertices")) {
            if (!vertex.path("name").asText().startsWith("Device twin fold")) {
                continue;
            }
            String base = "/jobs/" + id + "/vertices/" + vertex.path("id").asText();
            List<String> names = new ArrayList<>();
            for (JsonNode metric : flink.get(base + "/subtasks/metrics")) {
                String name = metric.path("id").asText();
                if (suffixes.stream().anyMatch(name::endsWith)) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            for (JsonNode metric :
                    flink.get(base + "/subtasks/metrics?agg=sum&get=" + String.join(",", names))) {
                values.put(
                        metric.path("id").asText().replaceFirst("^Device_twin_fold\\.", ""),
                        metric.path("sum").asDouble());
            }
        }
        return values;
    }

    /** The checkpoint statistics of the job (counts, summary percentiles, latest). */
    public JsonNode checkpoints() {
        return flink.get("/jobs/" + id + "/checkpoints");
    }

    /** The directory of the newest completed checkpoint, as a path Flink can restore. */
    public String latestCheckpoint() {
        return checkpoints().path("latest").path("completed").path("external_path").asText(null);
    }

    public void cancel() {
        if (!state().equals("RUNNING") && !state().equals("RESTARTING")) {
            return;
        }
        flink.patch("/jobs/" + id + "?mode=cancel");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline && !state().equals("CANCELED")) {
            sleep(200);
        }
    }

    /** A directory's size on disk, in bytes (e.g. the checkpoints of a job). */
    public static long sizeOnDisk(Path directory) {
        if (!directory.toFile().exists()) {
            return 0;
        }
        try (var files = java.nio.file.Files.walk(directory)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0; // files come and go while a job checkpoints
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
