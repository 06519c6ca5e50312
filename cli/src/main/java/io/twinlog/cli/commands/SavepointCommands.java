package io.twinlog.cli.commands;

import io.twinlog.cli.flink.FlinkRestClient;
import io.twinlog.cli.flink.TwinlogJobs;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.output.Terminal;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Savepoints through the Flink REST API: take one while the job runs, or stop the job with one. */
public final class SavepointCommands {

    private SavepointCommands() {}

    @Command(
            name = "savepoint",
            mixinStandardHelpOptions = true,
            description =
                    "Take a savepoint of the running DeviceTwinJob, wait for it, and print its path.")
    public static final class Take implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Mixin SavepointTarget target;

        @Override
        public Integer call() {
            FlinkRestClient flink = connection.flink();
            String jobId = target.jobId(connection);
            terminal.out()
                    .println(
                            flink.savepoint(
                                    jobId, target.directory, false, Duration.ofMinutes(10)));
            return 0;
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description =
                    "Stop the running DeviceTwinJob with a savepoint (its outputs are committed up to it),"
                            + " and print the savepoint's path.")
    public static final class Stop implements Callable<Integer> {

        @Mixin Terminal terminal;

        @Mixin Connection connection;

        @Mixin SavepointTarget target;

        @Override
        public Integer call() {
            FlinkRestClient flink = connection.flink();
            String jobId = target.jobId(connection);
            var options = TwinlogJobs.options(flink, jobId);
            long began = System.nanoTime();
            String location =
                    flink.savepoint(jobId, target.directory, true, Duration.ofMinutes(10));
            terminal.out().println(location);
            terminal.out()
                    .printf(
                            "job %s stopped in %.1f s; resume it with:%n  %s%n",
                            jobId,
                            (System.nanoTime() - began) / 1e9,
                            ResumeHint.of(location, connection, options));
            return 0;
        }
    }
}
