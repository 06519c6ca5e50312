package io.twinlog.cli;

import picocli.CommandLine.Option;

/**
 * Which job a savepoint is taken of, and where it goes: the options of {@code savepoint} and {@code
 * stop}.
 */
final class SavepointTarget {

    @Option(
            names = "--job",
            paramLabel = "<id>",
            description =
                    "the job (default: the DeviceTwinJob reading the event log of --topic-prefix)")
    String job;

    @Option(
            names = "--dir",
            paramLabel = "<dir>",
            description = "target directory (default: the cluster's savepoint directory)")
    String directory;

    /** The job id given, or the one active DeviceTwinJob reading the connection's event log. */
    String jobId(Connection connection) {
        return TwinlogJobs.resolve(connection.flink(), job, connection.topics().events());
    }
}
