package io.twinlog.cli.commands;

import io.twinlog.cli.flink.TwinlogJobs;
import io.twinlog.cli.kafka.LogBounds;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobOptionsMixin;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import io.twinlog.jobs.RestoreCheck;
import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.FoldOptions;
import io.twinlog.options.JobManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs DeviceTwinJob from a savepoint or retained checkpoint with the semantic options its state
 * was built with, refusing to drop state, to change those options, or to start next to a job that
 * writes the same outputs, unless told to.
 */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description =
                "Run DeviceTwinJob restoring a savepoint (or retained checkpoint). A savepoint rebuilt from the"
                        + " log continues the log exactly after the replayed range. The semantic options (lateness, dedup,"
                        + " silence, skew, limits, rules) recorded in the savepoint are used unless given.")
public final class ResumeCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Mixin Connection connection;

    @Mixin SubmitCommand.Launch launch;

    @Mixin JobOptionsMixin job;

    @Parameters(
            paramLabel = "<job option>",
            description = "further DeviceTwinJob options, after --")
    List<String> jobOptions = new ArrayList<>();

    @Option(
            names = "--from",
            required = true,
            paramLabel = "<savepoint>",
            description = "the savepoint or checkpoint to restore")
    String savepoint;

    @Option(
            names = "--allow-non-restored-state",
            description =
                    "start even if some of the savepoint's state belongs to no operator of the job (it is dropped)")
    boolean allowNonRestoredState;

    @Option(
            names = "--accept-option-change",
            description =
                    "continue the state with semantic options other than those it was built with (outputs"
                            + " from here on follow the new ones; the change is logged and recorded)")
    boolean acceptOptionChange;

    @Override
    public Integer call() throws Exception {
        launch.checkJar();
        Optional<JobManifest> recorded = SavepointContents.manifest(savepoint);
        List<String> args =
                recorded.isPresent()
                        ? job.arguments(connection, jobOptions, recorded.get())
                        : job.arguments(connection, jobOptions);
        DeviceTwinJobOptions options = JobOptionsMixin.parse(args);
        if (recorded.isPresent()) {
            checkAgainst(recorded.get(), options, args);
        } else {
            terminal.out()
                    .println(
                            "note: "
                                    + savepoint
                                    + " records no semantic options (written by twinlog 0.2.0 or"
                                    + " earlier); the job runs with the options given and the defaults, and records them");
        }
        TwinlogJobs.refuseConflicts(connection.flink(), options);
        UnreportedMetrics.warn(connection, options, terminal.out());
        List<String> dropped = RestoreCheck.droppedOperators(savepoint, options);
        if (!dropped.isEmpty() && !allowNonRestoredState) {
            throw new CliException(
                    "restoring "
                            + savepoint
                            + " would drop the state of "
                            + String.join(", ", dropped)
                            + ": no operator of the job has that uid. If that is intended, add --allow-non-restored-state");
        }
        if (!dropped.isEmpty()) {
            terminal.out().println("dropping the state of " + String.join(", ", dropped));
        }
        String jobId = launch.submit(connection, args, savepoint, allowNonRestoredState);
        terminal.out()
                .println(
                        "job "
                                + jobId
                                + " "
                                + launch.awaitRunning(connection, jobId)
                                + ", restored from "
                                + savepoint);
        terminal.out()
                .println(
                        "  web UI: "
                                + connection.flinkUrl
                                + "/#/job/running/"
                                + jobId
                                + "/overview");
        return 0;
    }

    /**
     * Refuses what the job would refuse when it restores the state, before anything is submitted.
     */
    private void checkAgainst(
            JobManifest recorded, DeviceTwinJobOptions options, List<String> args) {
        int partitions = LogBounds.read(connection.kafka(), options.topics().events()).partitions();
        JobManifest current =
                new JobManifest(options.topics().events(), partitions, options.semantics());
        List<String> breaches = recorded.invariantBreaches(current);
        if (!breaches.isEmpty()) {
            throw new CliException(String.join("; ", breaches));
        }
        List<String> changes = recorded.optionChanges(current);
        if (changes.isEmpty()) {
            return;
        }
        if (!acceptOptionChange) {
            throw new CliException(
                    "the savepoint's state was built with other semantic options:\n  "
                            + String.join("\n  ", changes)
                            + "\nResuming with them would change what the job outputs from here"
                            + " on. Leave them out to keep the recorded ones, or add --accept-option-change.");
        }
        terminal.out()
                .println(
                        "changing semantic options, as accepted:\n  "
                                + String.join("\n  ", changes));
        args.addAll(List.of("--" + FoldOptions.ACCEPT_OPTION_CHANGE.key(), "true"));
    }
}
