package io.twinlog.cli;

import io.twinlog.jobs.state.RestoreCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs DeviceTwinJob from a savepoint or retained checkpoint, refusing to drop state silently. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Run DeviceTwinJob restoring a savepoint (or retained checkpoint). A savepoint rebuilt from the"
                + " log continues the log exactly after the replayed range.")
public final class ResumeCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Mixin
    SubmitCommand.Launch launch;

    @Mixin
    JobOptionsMixin job;

    @Parameters(paramLabel = "<job option>", description = "further DeviceTwinJob options, after --")
    List<String> jobOptions = new ArrayList<>();

    @Option(names = "--from", required = true, paramLabel = "<savepoint>", description = "the savepoint or checkpoint to restore")
    String savepoint;

    @Option(names = "--allow-non-restored-state",
            description = "start even if some of the savepoint's state belongs to no operator of the job (it is dropped)")
    boolean allowNonRestoredState;

    @Override
    public Integer call() throws Exception {
        List<String> dropped = RestoreCheck.droppedOperators(savepoint, job.parse(connection, jobOptions));
        if (!dropped.isEmpty() && !allowNonRestoredState) {
            throw new CliException("restoring " + savepoint + " would drop the state of " + String.join(", ", dropped)
                    + ": no operator of the job has that uid. If that is intended, add --allow-non-restored-state");
        }
        if (!dropped.isEmpty()) {
            System.out.println("dropping the state of " + String.join(", ", dropped));
        }
        String jobId = launch.submit(connection, job, jobOptions, savepoint, allowNonRestoredState);
        System.out.println("job " + jobId + " " + launch.awaitRunning(connection, jobId) + ", restored from " + savepoint);
        System.out.println("  web UI: " + connection.flinkUrl + "/#/job/running/" + jobId + "/overview");
        return 0;
    }
}
