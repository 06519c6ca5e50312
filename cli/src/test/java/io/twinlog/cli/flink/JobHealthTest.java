package io.twinlog.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A job's health from Flink's REST answers (shapes as Flink 2.2 returns them). */
public class JobHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** Flink's answers as the CLI reads them: through the response records. */
    private static JobHealth health(
            JsonNode job,
            JsonNode checkpoints,
            JsonNode metrics,
            java.util.SortedMap<Integer, Long> lag,
            String lagProblem) {
        return JobHealth.of(
                FlinkResponses.read(job, FlinkResponses.JobDetails.class),
                FlinkResponses.read(checkpoints, FlinkResponses.Checkpoints.class),
                java.util.List.of(FlinkResponses.read(metrics, FlinkResponses.Metric[].class)),
                lag,
                lagProblem);
    }

    @Test
    void aRunningJobWithCheckpointsAndLag() throws Exception {
        JsonNode job =
                json(
                        """
                {"jid":"abc","state":"RUNNING","now":1000000,
                 "timestamps":{"CREATED":100000,"RUNNING":700000}}""");
        JsonNode checkpoints =
                json(
                        """
                {"counts":{"completed":30,"failed":2},
                 "latest":{"completed":{"id":31,"latest_ack_timestamp":996000,
                   "end_to_end_duration":350,"checkpointed_size":2097152,
                   "external_path":"file:/cp/chk-31"},
                  "failed":{"id":29,"failure_message":"Checkpoint expired before completing."}}}""");
        JsonNode restarts = json("[{\"id\":\"numRestarts\",\"value\":\"2\"}]");
        TreeMap<Integer, Long> lag = new TreeMap<>(Map.of(0, 5L, 1, 0L, 2, -1L));

        JobHealth health = health(job, checkpoints, restarts, lag, null);

        assertThat(health.uptime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(health.restarts()).isEqualTo(2);
        assertThat(health.lastCheckpoint())
                .isEqualTo(
                        new JobHealth.Checkpoint(
                                31,
                                Duration.ofSeconds(4),
                                Duration.ofMillis(350),
                                2097152,
                                "file:/cp/chk-31"));
        assertThat(health.totalLag()).as("p2 has no offset yet: not -1 of lag").isEqualTo(5);
        JsonNode view =
                JSON.valueToTree(
                        JobView.of(
                                health, Map.of("group.id", "g", "topic.events", "device-events")));
        assertThat(view.path("lastCheckpoint").path("bytes").asLong()).isEqualTo(2097152);
        assertThat(view.path("lag").path("0").asLong()).isEqualTo(5);
        assertThat(view.path("totalLag").asLong()).isEqualTo(5);
        assertThat(view.has("lagUnknown")).isFalse();
        assertThat(view.path("group").asText()).isEqualTo("g");
        assertThat(health.describe(Map.of("group.id", "g", "topic.events", "device-events")))
                .isEqualTo(
                        "abc  RUNNING    up 5m 00s    restarts 2\n"
                                + "  last checkpoint #31 4.0s ago, took 350ms, 2.0 MB; 2 failed"
                                + " (latest: Checkpoint expired before completing.)\n"
                                + "  lag of group g on device-events: 5 records"
                                + " (p0 5, p1 0, p2 no offset yet)\n");
    }

    @Test
    void checkpointsThatCouldNotStartAreNotCountedAsFailed() throws Exception {
        JsonNode job =
                json(
                        """
                {"jid":"abc","state":"RUNNING","now":1000000,"timestamps":{"RUNNING":990000}}""");
        // Flink 2.2 at start-up: two triggers refused (tasks not running yet) are counted as
        // failed but have no history entry; the third checkpoint completed.
        JsonNode startUp =
                json(
                        """
                {"counts":{"total":3,"in_progress":0,"completed":1,"failed":2},
                 "latest":{"completed":{"id":1,"latest_ack_timestamp":999000,
                   "end_to_end_duration":120,"checkpointed_size":1024}},
                 "history":[{"id":1,"status":"COMPLETED"}]}""");

        JobHealth health = health(job, startUp, json("[]"), new TreeMap<>(), null);
        assertThat(health.failedCheckpoints()).isZero();
        assertThat(health.notStartedCheckpoints()).isEqualTo(2);
        assertThat(health.describe(Map.of()))
                .contains("last checkpoint #1")
                .contains("; 2 not started (tasks not running yet)")
                .doesNotContain("failed");

        // One that started and failed is in the history: that one is a failure.
        JsonNode oneFailed =
                json(
                        """
                {"counts":{"total":4,"in_progress":0,"completed":1,"failed":3},
                 "latest":{"failed":{"id":2,"failure_message":"Checkpoint expired before completing."}},
                 "history":[{"id":2,"status":"FAILED"},{"id":1,"status":"COMPLETED"}]}""");
        JobHealth after = health(job, oneFailed, json("[]"), new TreeMap<>(), null);
        assertThat(after.failedCheckpoints()).isEqualTo(1);
        assertThat(after.notStartedCheckpoints()).isEqualTo(2);

        // A history that no longer holds every checkpoint cannot tell: all count as failed.
        JsonNode longRun =
                json(
                        """
                {"counts":{"total":500,"in_progress":0,"completed":497,"failed":3},
                 "history":[{"id":500,"status":"COMPLETED"},{"id":499,"status":"COMPLETED"}]}""");
        assertThat(health(job, longRun, json("[]"), new TreeMap<>(), null))
                .satisfies(h -> assertThat(h.failedCheckpoints()).isEqualTo(3))
                .satisfies(h -> assertThat(h.notStartedCheckpoints()).isZero());
    }

    @Test
    void aJobThatIsNotRunningHasNoUptimeAndSaysWhyItsLagIsUnknown() throws Exception {
        JsonNode job =
                json(
                        """
                {"jid":"abc","state":"RESTARTING","now":1000000,
                 "timestamps":{"RUNNING":700000}}""");

        JobHealth health =
                health(job, json("{\"counts\":{}}"), json("[]"), null, "the job is RESTARTING");

        assertThat(health.uptime()).isZero();
        assertThat(health.lastCheckpoint()).isNull();
        assertThat(health.describe(Map.of()))
                .contains("checkpoints: none completed yet")
                .contains("lag: unknown (the job is RESTARTING)");
        JsonNode view = JSON.valueToTree(JobView.of(health, Map.of()));
        assertThat(view.path("lagUnknown").asText()).isEqualTo("the job is RESTARTING");
        assertThat(view.has("lag")).isFalse();
        assertThat(view.has("lastCheckpoint")).isFalse();
        assertThat(view.has("group")).as("null, but always there").isTrue();
    }
}
