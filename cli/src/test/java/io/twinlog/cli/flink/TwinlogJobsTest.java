package io.twinlog.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.cli.commands.SubmitCommand;
import io.twinlog.cli.options.Connection;
import io.twinlog.options.DeviceTwinJobOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which job the CLI acts on, and which it refuses to start next to, against a fake Flink REST API.
 */
public class TwinlogJobsTest {

    private static final Map<String, String> MAIN =
            Map.of(
                    "topic.events",
                    "device-events",
                    "transactional.id.prefix",
                    "twinlog-device-twin");
    private static final Map<String, String> OTHER =
            Map.of(
                    "topic.events",
                    "other-device-events",
                    "transactional.id.prefix",
                    "other-twinlog-device-twin");

    @Test
    void theTopicPrefixSelectsTheJobReadingItsEventLog() throws Exception {
        try (FakeFlink flink =
                new FakeFlink()
                        .job("aaa", "RUNNING", MAIN)
                        .job("bbb", "RUNNING", OTHER)
                        .job("ccc", "FINISHED", MAIN)) {
            assertThat(TwinlogJobs.resolve(flink.client(), null, "device-events")).isEqualTo("aaa");
            assertThat(TwinlogJobs.resolve(flink.client(), null, "other-device-events"))
                    .isEqualTo("bbb");
            assertThat(TwinlogJobs.resolve(flink.client(), "zzz", "device-events"))
                    .isEqualTo("zzz");
            assertThatThrownBy(
                            () -> TwinlogJobs.resolve(flink.client(), null, "third-device-events"))
                    .hasMessageContaining("no DeviceTwinJob reading third-device-events")
                    .hasMessageContaining("aaa (RUNNING, reading device-events)");
        }
    }

    @Test
    void aJobIsRefusedNextToOneReadingTheSameLogOrUsingTheSamePrefix() throws Exception {
        for (String state : new String[] {"CREATED", "RUNNING", "RESTARTING"}) {
            try (FakeFlink flink = new FakeFlink().job("aaa", state, MAIN)) {
                assertThatThrownBy(
                                () ->
                                        TwinlogJobs.refuseConflicts(
                                                flink.client(), DeviceTwinJobOptions.parse()))
                        .hasMessageContaining(
                                "DeviceTwinJob aaa is " + state + " and reads device-events")
                        .hasMessageContaining("scripts/twinlog stop --job aaa");
                assertThatThrownBy(
                                () ->
                                        TwinlogJobs.refuseConflicts(
                                                flink.client(),
                                                DeviceTwinJobOptions.parse(
                                                        "--topic.events", "elsewhere")))
                        .hasMessageContaining(
                                "writes with the transactional id prefix twinlog-device-twin");
                assertThatCode(
                                () ->
                                        TwinlogJobs.refuseConflicts(
                                                flink.client(),
                                                DeviceTwinJobOptions.parse(
                                                        "--topic.events",
                                                        "elsewhere",
                                                        "--transactional.id.prefix",
                                                        "mine")))
                        .doesNotThrowAnyException();
            }
        }
        try (FakeFlink flink =
                new FakeFlink().job("old", "RUNNING", Map.of()).job("done", "CANCELED", MAIN)) {
            assertThatThrownBy(
                            () ->
                                    TwinlogJobs.refuseConflicts(
                                            flink.client(),
                                            DeviceTwinJobOptions.parse(
                                                    "--topic.events",
                                                    "elsewhere",
                                                    "--transactional.id.prefix",
                                                    "mine")))
                    .as("a job that published no options may read anything")
                    .hasMessageContaining("publishes no options");
        }
    }

    @Test
    void aJobThatRestartsWhileStartingIsAFailureWithItsRootCause() throws Exception {
        try (FakeFlink flink = new FakeFlink()) {
            flink.answer("/jobs/aaa", "{\"state\":\"RESTARTING\",\"vertices\":[]}")
                    .answer(
                            "/jobs/aaa/exceptions",
                            "{\"exceptionHistory\":{\"entries\":[{\"exceptionName\":\"x\","
                                    + "\"stacktrace\":\"org.apache.flink.runtime.JobException: Recovery is suppressed\\n\\tat x\\n"
                                    + "Caused by: java.lang.IllegalStateException: the state was built from 4 partitions\\n\\tat y\"}]}}");
            Connection connection = new Connection();
            connection.flinkUrl = flink.url();
            connection.timeout = java.time.Duration.ofSeconds(5);

            assertThatThrownBy(() -> new SubmitCommand.Launch().awaitRunning(connection, "aaa"))
                    .hasMessage(
                            "job aaa is RESTARTING: the state was built from 4 partitions (it keeps restarting:"
                                    + " scripts/twinlog stop or cancel it in the Flink web UI)");
        }
    }
}
