package io.twinlog.cli;

import picocli.CommandLine.Option;

/** Which job a savepoint is taken of, and where it goes: the options of {@code savepoint} and {@code stop}. */
final class SavepointTarget {

    @Option(names = "--job", paramLabel = "<id>", description = "the job (default: the one running DeviceTwinJob)")
    String job;

    @Option(names = "--dir", paramLabel = "<dir>", description = "target directory (default: the cluster's savepoint directory)")
    String directory;

    /** The job id given, or the one running DeviceTwinJob. */
    String jobId(FlinkRestClient flink) {
        return RunningJob.resolve(flink, job);
    }
}
