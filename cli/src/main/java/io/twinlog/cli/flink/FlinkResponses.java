package io.twinlog.cli.flink;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The parts of Flink's REST answers (docs/ops/rest_api of Flink 2.2) the CLI reads, as records.
 * Fields Flink adds in later versions are ignored; a field Flink leaves out is null.
 */
public final class FlinkResponses {

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private FlinkResponses() {}

    /** Reads an answer as one of these records. */
    public static <T> T read(JsonNode answer, Class<T> type) {
        try {
            return JSON.treeToValue(answer, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Flink's answer does not read as " + type, e);
        }
    }

    /** Reads an answer given as text (tests, recorded answers). */
    public static <T> T read(String answer, Class<T> type) {
        try {
            return read(JSON.readTree(answer), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /jobs/overview}. */
    public record JobsOverview(List<JobOverview> jobs) {
        public JobsOverview {
            jobs = jobs == null ? List.of() : jobs;
        }
    }

    public record JobOverview(String jid, String name, String state) {}

    /** {@code GET /jobs/<id>}: {@code now} is the JobManager's clock. */
    public record JobDetails(
            String jid,
            String state,
            Long now,
            Map<String, Long> timestamps,
            List<Vertex> vertices) {
        public JobDetails {
            timestamps = timestamps == null ? Map.of() : timestamps;
            vertices = vertices == null ? List.of() : vertices;
        }

        public boolean allTasksRunning() {
            return vertices.stream().allMatch(v -> "RUNNING".equals(v.status()));
        }
    }

    public record Vertex(String name, String status) {}

    /** {@code GET /jobs/<id>/checkpoints}. */
    public record Checkpoints(
            CheckpointCounts counts, LatestCheckpoints latest, List<HistoryEntry> history) {
        public Checkpoints {
            counts = counts == null ? new CheckpointCounts(0, 0, 0) : counts;
            latest = latest == null ? new LatestCheckpoints(null, null) : latest;
            history = history == null ? List.of() : history;
        }
    }

    public record CheckpointCounts(
            long completed, long failed, @JsonProperty("in_progress") long inProgress) {}

    public record LatestCheckpoints(CompletedCheckpoint completed, FailedCheckpoint failed) {}

    public record CompletedCheckpoint(
            long id,
            @JsonProperty("latest_ack_timestamp") Long latestAck,
            @JsonProperty("end_to_end_duration") long endToEndDuration,
            @JsonProperty("checkpointed_size") Long checkpointedSize,
            @JsonProperty("state_size") Long stateSize,
            @JsonProperty("external_path") String externalPath) {

        /** A path a job can be resumed from, or null (Flink's placeholder for none). */
        public String resumablePath() {
            return externalPath == null
                            || externalPath.isEmpty()
                            || externalPath.equals("<checkpoint-not-externally-addressable>")
                    ? null
                    : externalPath;
        }
    }

    public record FailedCheckpoint(
            long id, @JsonProperty("failure_message") String failureMessage) {}

    public record HistoryEntry(String status) {}

    /** One entry of {@code GET /jobs/<id>/metrics?get=...}: values come as text. */
    public record Metric(String id, String value) {}

    /** {@code GET /jobs/<id>/exceptions}. */
    public record Exceptions(ExceptionHistory exceptionHistory) {
        public List<ExceptionEntry> entries() {
            return exceptionHistory == null || exceptionHistory.entries() == null
                    ? List.of()
                    : exceptionHistory.entries();
        }
    }

    public record ExceptionHistory(List<ExceptionEntry> entries) {}

    /** A failure: {@code taskName} is null when the job failed as a whole. */
    public record ExceptionEntry(long timestamp, String taskName, String stacktrace) {}

    /** {@code POST /jars/upload}: the file name ends with the jar id. */
    public record JarUpload(String filename) {}

    /** {@code POST /jars/<id>/run}. */
    public record JarRun(String jobid) {}

    /** One entry of {@code GET /jobmanager/config}. */
    public record ConfigEntry(String key, String value) {}

    /** The answer to an asynchronous trigger (savepoint, stop). */
    public record Trigger(@JsonProperty("request-id") String requestId) {}

    /** {@code GET /jobs/<id>/savepoints/<trigger>}. */
    public record SavepointStatus(QueueStatus status, SavepointOperation operation) {
        public boolean completed() {
            return status != null && "COMPLETED".equals(status.id());
        }
    }

    public record QueueStatus(String id) {}

    public record SavepointOperation(
            String location, @JsonProperty("failure-cause") JsonNode failureCause) {}
}
