package io.twinlog.cli.commands;

import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobChoice;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which job a savepoint is taken of, and where it goes: the options of {@code savepoint} and {@code
 * stop}.
 */
public final class SavepointTarget {

    @Mixin JobChoice choice;

    @Option(
            names = "--dir",
            paramLabel = "<dir>",
            description = "target directory (default: the cluster's savepoint directory)")
    String directory;

    String jobId(Connection connection) {
        return choice.jobId(connection);
    }
}
