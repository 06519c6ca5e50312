package io.twinlog.bench.drills;

import io.twinlog.bench.e2e.FlinkJob;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.cli.TwinlogCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The faults of the drills, each as {@code scripts/drills} injects it into the running stack. */
final class Drills {

    private Drills() {}

    /** The TaskManager dies; a new one starts; the job restores its last checkpoint by itself. */
    static void killTaskManager(DrillRun run) {
        run.stack.kill("taskmanager");
        run.stack.up();
    }

    /** The broker dies and comes back after 10 s; producers and the job ride it out. */
    static void killBroker(DrillRun run) {
        outage(run, "kafka", Duration.ofSeconds(10));
    }

    /**
     * The broker is away for five minutes (a full disk, a host being replaced): longer than every
     * Kafka client timeout, so the job's tasks fail and restart until it is back.
     */
    static void longBrokerOutage(DrillRun run) {
        outage(run, "kafka", Duration.ofMinutes(5));
    }

    /**
     * The JobManager dies. Without high availability its jobs die with it: it is started again (the
     * TaskManager registers with it), and the job is resumed with the CLI from the newest
     * checkpoint it left behind (retained because the cluster keeps checkpoints on cancellation and
     * failure).
     */
    static void loseJobManager(DrillRun run) throws IOException {
        String lostJob = run.job().id();
        run.stack.kill("jobmanager");
        run.stack.up();
        resume(run, newestCheckpoint(run.stack.checkpoints().resolve(lostJob)));
    }

    /**
     * The job stopped with a savepoint and resumed from it with the CLI, as an upgrade does;
     * returns the restarts the stopped job had.
     */
    static long stopAndResume(DrillRun run) throws IOException {
        long restarts = run.job().restarts();
        String savepoint =
                FlinkJob.client(run.stack)
                        .savepoint(run.job().id(), null, true, Duration.ofMinutes(5));
        resume(run, savepoint);
        return restarts;
    }

    /** {@code twinlog resume --from} with the drill's job options; the run follows the new job. */
    private static void resume(DrillRun run, String checkpoint) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "resume",
                                "--from",
                                checkpoint,
                                "--bootstrap-servers",
                                run.stack.bootstrapServers(),
                                "--registry-url",
                                run.stack.registryUrl(),
                                "--flink-url",
                                run.stack.flinkUrl(),
                                "--jar",
                                run.stack.jobJar().toString(),
                                "--rules",
                                run.stack.rulesFile().toString(),
                                "--"));
        for (Map.Entry<String, String> option : run.jobOptions().entrySet()) {
            if (!option.getKey().equals("bootstrap.servers")
                    && !option.getKey().equals("schema.registry.url")
                    && !option.getKey().equals("rules.file")) {
                args.addAll(List.of("--" + option.getKey(), option.getValue()));
            }
        }
        if (TwinlogCli.run(args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("twinlog resume --from " + checkpoint + " failed");
        }
        run.replaceJob(FlinkJob.attach(run.stack, runningJob(run.stack)));
        run.job().awaitAllTasksRunning(Duration.ofMinutes(2));
    }

    /**
     * The registry is down for 20 s while events of a schema version the job has not seen yet
     * arrive.
     */
    static void stopRegistry(DrillRun run) {
        outage(run, "registry", Duration.ofSeconds(20));
    }

    /**
     * A component killed with -9 and started again after {@code downFor}, alone: whatever else the
     * outage took down must come back by itself (the stack supervises the TaskManager).
     */
    private static void outage(DrillRun run, String component, Duration downFor) {
        run.stack.kill(component);
        FlinkJob.sleep(downFor.toMillis());
        run.stack.start(component);
        run.faultEnded();
    }

    /**
     * The newest complete checkpoint of a job (the one with the highest number that has its
     * metadata).
     */
    static String newestCheckpoint(Path jobCheckpoints) throws IOException {
        try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no complete checkpoint in " + jobCheckpoints))
                    .toUri()
                    .toString();
        }
    }

    private static String runningJob(LocalStack stack) {
        for (var job : FlinkJob.client(stack).get("/jobs")) {
            for (var entry : job) {
                if (entry.path("status").asText().equals("RUNNING")) {
                    return entry.path("id").asText();
                }
            }
        }
        throw new IllegalStateException("no running job after the resume");
    }
}
