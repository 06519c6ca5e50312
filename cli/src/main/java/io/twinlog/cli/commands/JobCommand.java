package io.twinlog.cli.commands;

import io.twinlog.cli.flink.FlinkErrors;
import io.twinlog.cli.flink.FlinkRestClient;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobChoice;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "job",
        description =
                "The life of a DeviceTwinJob: submit, savepoint, stop, resume, cancel; why it"
                        + " failed; the options it takes. The top-level submit, resume, savepoint,"
                        + " stop and cancel are the same commands, kept for scripts.",
        mixinStandardHelpOptions = true,
        subcommands = {
            SubmitCommand.class,
            ResumeCommand.class,
            SavepointCommands.Take.class,
            SavepointCommands.Stop.class,
            CancelCommand.class,
            JobCommand.Exceptions.class,
            JobCommand.Options.class
        })
public final class JobCommand {

    @Command(
            name = "exceptions",
            mixinStandardHelpOptions = true,
            description =
                    "The latest failures of the job, newest first: when, in which task, and the root"
                            + " cause (twinlog's own message when there is one, else the innermost"
                            + " exception).")
    static final class Exceptions implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Mixin JobChoice choice;

        @Option(
                names = "--max",
                defaultValue = "5",
                description = "how many failures (default: ${DEFAULT-VALUE})")
        int max;

        @Option(names = "--trace", description = "the whole stack trace of the newest failure")
        boolean trace;

        @Override
        public Integer call() {
            if (max < 1 || max > 100) {
                throw new CliException("--max must be between 1 and 100 (got " + max + ")");
            }
            FlinkRestClient flink = connection.flink();
            String jobId = choice.jobId(connection);
            var entries = flink.exceptions(jobId, max).entries();
            if (entries.isEmpty()) {
                terminal.out().println("job " + jobId + " has not failed since it started");
                return 0;
            }
            for (var entry : entries) {
                terminal.out()
                        .printf(
                                "%s  %s%n  %s%n",
                                Instant.ofEpochMilli(entry.timestamp()),
                                entry.taskName() == null
                                        ? "(the job as a whole)"
                                        : entry.taskName(),
                                FlinkErrors.rootCause(entry.stacktrace()));
            }
            if (trace) {
                terminal.out().println();
                terminal.out().println(entries.get(0).stacktrace());
            }
            return 0;
        }
    }

    @Command(
            name = "options",
            mixinStandardHelpOptions = true,
            description =
                    "Every option of DeviceTwinJob with its default (give them to submit after --).")
    static final class Options implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Override
        public Integer call() {
            terminal.out().print(io.twinlog.options.DeviceTwinJobOptions.usage());
            return 0;
        }
    }
}
