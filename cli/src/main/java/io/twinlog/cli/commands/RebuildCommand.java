package io.twinlog.cli.commands;

import io.twinlog.cli.kafka.LogBounds;
import io.twinlog.cli.options.Connection;
import io.twinlog.cli.options.JobOptionsMixin;
import io.twinlog.cli.options.RecordedOptions;
import io.twinlog.cli.output.CliException;
import io.twinlog.cli.output.Terminal;
import io.twinlog.jobs.state.RebuildFoldFunction;
import io.twinlog.jobs.state.RebuildJob;
import io.twinlog.jobs.state.RebuildMetadata;
import io.twinlog.options.DeviceTwinJobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Replays the event log into a new savepoint that DeviceTwinJob can resume from. */
@Command(
        name = "rebuild",
        mixinStandardHelpOptions = true,
        description =
                "Replay device-events from its earliest offsets with the live job's fold (State Processor API,"
                        + " batch mode, in this process) and write a savepoint that DeviceTwinJob resumes from exactly after"
                        + " the replayed range.",
        footer =
                "The state is a function of the log and of the semantic options (rules, lateness, silence timeout,"
                        + " limits): with --until savepoint:<path> or --options-from <savepoint> they are the ones that"
                        + " savepoint recorded; options given after -- (or --rules) replace them.")
public final class RebuildCommand implements Callable<Integer> {

    @Mixin Terminal terminal;

    @Mixin Connection connection;

    @Mixin JobOptionsMixin job;

    @Parameters(
            paramLabel = "<job option>",
            description = "further DeviceTwinJob options, after --")
    List<String> jobOptions = new ArrayList<>();

    @Option(
            names = "--to-savepoint",
            required = true,
            paramLabel = "<dir or URI>",
            description =
                    "where to write the savepoint, a directory or a file:// URI (must not exist)")
    String target;

    @Option(
            names = "--options-from",
            paramLabel = "<savepoint>",
            description =
                    "take the semantic options recorded in this savepoint (default: the one --until names, if any)")
    String optionsFrom;

    @Option(
            names = "--until",
            defaultValue = "latest",
            paramLabel = "<bound>",
            description =
                    "end of the replay: latest (default), an ISO-8601 time, partition=offset,... or savepoint:<path>")
    String until;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "parallelism of the replay (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        Path directory = localDirectory(target);
        if (Files.exists(directory)) {
            throw new CliException(
                    directory + " exists already: give a new directory to --to-savepoint");
        }
        String recordedIn =
                optionsFrom != null
                        ? optionsFrom
                        : until.startsWith("savepoint:")
                                ? until.substring("savepoint:".length())
                                : null;
        DeviceTwinJobOptions options =
                recordedIn == null
                        ? job.parse(connection, jobOptions)
                        : RecordedOptions.forSavepoint(recordedIn, job, connection, jobOptions);
        String topic = options.topics().events();
        LogBounds bounds = LogBounds.read(connection.kafka(), topic);
        Map<Integer, Long> end = bounds.resolve(until);
        long total = bounds.recordsUpTo(end);
        terminal.out()
                .printf(
                        "replaying %,d records of %s %s into %s%n",
                        total, topic, LogBounds.describe(end), directory);

        RebuildJob rebuild = new RebuildJob(options, end, directory.toUri().toString());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(RebuildJob.configuration());
        env.setParallelism(parallelism);
        rebuild.build(env);
        long began = System.nanoTime();
        JobClient client = env.executeAsync("twinlog rebuild");
        JobExecutionResult result = followProgress(client, total, began);
        RebuildMetadata metadata = rebuild.complete(result.getAllAccumulatorResults());
        double seconds = (System.nanoTime() - began) / 1e9;
        terminal.out()
                .printf(
                        "rebuilt %,d records in %.1f s (%,.0f records/s)%n",
                        metadata.records(), seconds, metadata.records() / Math.max(seconds, 0.001));
        terminal.out().println("savepoint " + directory.toUri());
        terminal.out()
                .println("  covers " + topic + " " + LogBounds.describe(metadata.nextOffsets()));
        terminal.out().println("  resume with: scripts/twinlog resume --from " + directory.toUri());
        return 0;
    }

    /**
     * A directory on this machine, given as a path or a file:// URI (as every other command takes
     * savepoints).
     */
    public static Path localDirectory(String location) {
        if (location.startsWith("file:")) {
            return Path.of(java.net.URI.create(location)).toAbsolutePath();
        }
        if (location.contains("://")) {
            throw new CliException(
                    location
                            + " is not on this machine: rebuild writes to a local directory or file:// URI");
        }
        return Path.of(location).toAbsolutePath();
    }

    private JobExecutionResult followProgress(JobClient client, long total, long began)
            throws Exception {
        var done = client.getJobExecutionResult();
        while (!done.isDone()) {
            Thread.sleep(2_000);
            if (done.isDone()) {
                break;
            }
            Map<String, Object> accumulators = client.getAccumulators().get();
            long read = number(accumulators.get(RebuildJob.READ_ACCUMULATOR));
            long folded = number(accumulators.get(RebuildFoldFunction.FOLDED_ACCUMULATOR));
            double seconds = (System.nanoTime() - began) / 1e9;
            if (folded == 0 && read >= total) {
                terminal.out()
                        .printf(
                                "  read %,d records; sorting them by device and log position%n",
                                read);
            } else if (folded == 0) {
                // Batch mode reads and sorts everything before the fold starts.
                double rate = read / Math.max(seconds, 0.001);
                terminal.out()
                        .printf(
                                "  replayed %,d of about %,d records (%,.0f/s, about %s left)%n",
                                read,
                                total,
                                rate,
                                rate > 0
                                        ? Math.round(Math.max(0, total - read) / rate) + " s"
                                        : "? s");
            } else if (folded < read) {
                terminal.out().printf("  folded %,d of %,d records%n", folded, read);
            } else {
                terminal.out().printf("  folded all %,d records; writing the savepoint%n", read);
            }
        }
        return done.get();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
