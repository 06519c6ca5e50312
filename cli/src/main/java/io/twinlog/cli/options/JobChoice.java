package io.twinlog.cli.options;

import io.twinlog.cli.flink.TwinlogJobs;
import picocli.CommandLine.Option;

/** Which job a command acts on: the one given, or the DeviceTwinJob of the connection's topics. */
public final class JobChoice {

    @Option(
            names = "--job",
            paramLabel = "<id>",
            description =
                    "the job (default: the DeviceTwinJob reading the event log of --topic-prefix)")
    String job;

    /** The job id given, or the one active DeviceTwinJob reading the connection's event log. */
    public String jobId(Connection connection) {
        return TwinlogJobs.resolve(connection.flink(), job, connection.topics().events());
    }
}
