package io.twinlog.cli.options;

import io.twinlog.cli.output.CliException;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.readside.ReadSide;
import io.twinlog.readside.ReadSideConfig;
import io.twinlog.readside.group.GroupConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Where a read-side command keeps its index, and the job options its fold uses. The CLI's commands
 * and the service keep separate indexes (RocksDB allows one process per index), each brought up to
 * date from the log before it answers.
 */
public final class ReadSideOptions {

    @Option(
            names = "--index-dir",
            paramLabel = "<dir>",
            description =
                    "the read index (default: $TWINLOG_WORK/read-side/<command>, else ./work/read-side/<command>);"
                            + " built from the log at first use")
    Path indexDir;

    @Option(
            names = "--max-device-records",
            paramLabel = "<n>",
            defaultValue = "" + ReadSideConfig.DEFAULT_MAX_DEVICE_RECORDS,
            description =
                    "the most alert transitions of one device (and rules markers) read at once;"
                            + " history and as-of have no record bound (default: ${DEFAULT-VALUE})")
    int maxDeviceRecords;

    public ReadSide open(
            Connection connection, JobOptionsMixin job, List<String> jobOptions, String name) {
        return open(connection, job, jobOptions, name, null);
    }

    /** In a read-side group, or alone if {@code group} is null. */
    public ReadSide open(
            Connection connection,
            JobOptionsMixin job,
            List<String> jobOptions,
            String name,
            GroupConfig group) {
        Supplier<DeviceTwinJobOptions> options =
                new SubmittedSemantics(
                        SubmittedSemantics.defaultFile(),
                        JobOptionsMixin.base(connection),
                        jobOptions,
                        job.arguments(connection, jobOptions),
                        () ->
                                System.err.println(
                                        "read side: folding with the semantic options the last submit"
                                                + " recorded in "
                                                + SubmittedSemantics.defaultFile()));
        // One index per set of topics: an index knows its topics and is rebuilt for others.
        Path dir =
                indexDir != null
                        ? indexDir
                        : defaultDir(
                                connection.topicPrefix.isEmpty()
                                        ? name
                                        : name
                                                + "-"
                                                + connection.topicPrefix.replaceAll(
                                                        "[^A-Za-z0-9._-]", "_"));
        try {
            return ReadSide.open(
                    new ReadSideConfig(
                            options,
                            connection.bootstrapServers,
                            connection.registryUrl,
                            connection.timeout,
                            dir,
                            maxDeviceRecords,
                            connection.clientConfig().kafkaProperties(),
                            connection.clientConfig().registry(),
                            group));
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage());
        }
    }

    private static Path defaultDir(String name) {
        String work = System.getenv("TWINLOG_WORK");
        return Path.of(work == null || work.isBlank() ? "work" : work, "read-side", name);
    }
}
