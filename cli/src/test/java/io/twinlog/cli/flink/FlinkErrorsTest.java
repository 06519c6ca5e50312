package io.twinlog.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

public class FlinkErrorsTest {

    @Test
    void takesTheInnermostCauseOfAFailedMain() throws Exception {
        String answer =
                new ObjectMapper()
                        .createObjectNode()
                        .set(
                                "errors",
                                new ObjectMapper()
                                        .createArrayNode()
                                        .add(
                                                "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n"
                                                        + "\tat org.apache.flink...\n"
                                                        + "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: x\n"
                                                        + "\tat ...\n"
                                                        + "Caused by: java.lang.IllegalStateException: topics [device-alerts] do not exist. Create them.\n"
                                                        + "\tat ..."))
                        .toString();

        assertThat(FlinkErrors.summary(new ObjectMapper().readTree(answer)))
                .isEqualTo("topics [device-alerts] do not exist. Create them.");
    }

    @Test
    void prefersTwinlogsPreflightMessageToTheJavaExceptionBeneathIt() throws Exception {
        // what Flink answered for a registry that was down, before the preflight had its own type
        String answer =
                new ObjectMapper()
                        .createObjectNode()
                        .set(
                                "errors",
                                new ObjectMapper()
                                        .createArrayNode()
                                        .add(
                                                "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n"
                                                        + "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: cannot reach the schema registry\n"
                                                        + "Caused by: io.twinlog.jobs.kafka.PreflightException: cannot reach the schema registry: schema registry unreachable at http://localhost:8085 (ConnectException). Check --schema.registry.url.\n"
                                                        + "Caused by: java.lang.IllegalStateException: cannot reach the schema registry\n"
                                                        + "Caused by: java.nio.channels.ClosedChannelException\n"
                                                        + "\tat ..."))
                        .toString();

        assertThat(FlinkErrors.summary(new ObjectMapper().readTree(answer)))
                .isEqualTo(
                        "cannot reach the schema registry: schema registry unreachable at"
                                + " http://localhost:8085 (ConnectException). Check --schema.registry.url.");
    }

    @Test
    void keepsAPlainMessage() throws Exception {
        assertThat(
                        FlinkErrors.summary(
                                new ObjectMapper()
                                        .readTree("{\"errors\":[\"Not found: /jars/x\"]}")))
                .isEqualTo("Not found: /jars/x");
    }

    @Test
    void theRootCauseOfATaskFailureKeepsItsExceptionClass() {
        String trace =
                "org.apache.flink.runtime.JobException: Recovery is suppressed\n"
                        + "\tat ...\n"
                        + "Caused by: org.apache.kafka.common.errors.TopicAuthorizationException:"
                        + " Not authorized to access topics: [device-twins]\n"
                        + "\tat ...";

        assertThat(FlinkErrors.rootCause(trace))
                .isEqualTo(
                        "org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized"
                                + " to access topics: [device-twins]");
        assertThat(FlinkErrors.rootCause("java.lang.RuntimeException: once"))
                .isEqualTo("java.lang.RuntimeException: once");
    }
}
