package io.twinlog.cli.commands;

import io.twinlog.cli.flink.FlinkRestClient;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobChoice;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description =
                "Cancel the DeviceTwinJob without a savepoint. Outputs since its last completed"
                        + " checkpoint are aborted (read_committed consumers never see them); the"
                        + " cluster keeps that checkpoint, and 'resume --from' it continues exactly."
                        + " Prefer 'stop' (with a savepoint) for upgrades.")
public final class CancelCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    private static final Set<String> ENDED = Set.of("CANCELED", "FAILED", "FINISHED");

    @Mixin Connection connection;

    @Mixin JobChoice choice;

    @Override
    public Integer call() throws InterruptedException {
        FlinkRestClient flink = connection.flink();
        String jobId = choice.jobId(connection);
        flink.patch("/jobs/" + jobId + "?mode=cancel");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String state = "";
        while (!ENDED.contains(state)) {
            if (System.nanoTime() > deadline) {
                throw new CliException(
                        "job " + jobId + " is still " + state + " two minutes after the cancel");
            }
            FlinkRestClient.pause(200);
            state = flink.job(jobId).state();
        }
        terminal.out().println("job " + jobId + " is " + state);
        var checkpoint = flink.checkpoints(jobId).latest().completed();
        String path = checkpoint == null ? null : checkpoint.resumablePath();
        if (path != null) {
            terminal.out()
                    .println(
                            "its last checkpoint (#"
                                    + checkpoint.id()
                                    + ") is kept; continue from it with:\n  scripts/twinlog resume --from "
                                    + path);
        } else {
            terminal.out()
                    .println(
                            "it completed no retained checkpoint: a new job starts from the log's beginning");
        }
        return 0;
    }
}
