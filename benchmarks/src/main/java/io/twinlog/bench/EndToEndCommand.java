package io.twinlog.bench;

import io.twinlog.bench.e2e.CeilingPipe;
import io.twinlog.bench.e2e.JobRun;
import io.twinlog.bench.e2e.LatencyRun;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.bench.e2e.Preload;
import io.twinlog.bench.e2e.TaskManagerProfile;
import io.twinlog.bench.e2e.Topics;
import io.twinlog.bench.report.BenchmarksReport;
import io.twinlog.bench.report.ResultsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmarks on the local stack: throughput against the machine's ceiling (with the
 * heap backend and at-least-once as ratios), scale in devices, and latency at half the measured
 * rate.
 */
@Command(
        name = "e2e",
        mixinStandardHelpOptions = true,
        description =
                "end-to-end throughput, scale and latency on the local stack (scripts/bench starts it)")
final class EndToEndCommand implements Callable<Integer> {

    private static final long ONE_SECOND = 1000;

    /**
     * Each throughput run is profiled from after its start-up for about a minute, all alike, so
     * that the recording's overhead does not tilt the comparison and the profiles show what
     * differs.
     */
    private static final Duration PROFILE_DELAY = Duration.ofSeconds(30);

    private static final Duration PROFILE_DURATION = Duration.ofSeconds(60);

    @Mixin DocsOptions docs;

    @Option(
            names = "--events",
            defaultValue = "5000000",
            description = "events in each preloaded log (default: ${DEFAULT-VALUE})")
    long events;

    @Option(
            names = "--devices",
            defaultValue = "100000",
            description = "devices of the throughput runs (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(
            names = "--scale",
            split = ",",
            defaultValue = "10000,100000,1000000",
            description = "device counts of the scale runs (default: ${DEFAULT-VALUE})")
    List<Integer> scale;

    @Option(
            names = "--latency-seconds",
            defaultValue = "90",
            description = "input time of each latency run (default: ${DEFAULT-VALUE})")
    int latencySeconds;

    @Option(
            names = "--latency-devices",
            defaultValue = "10000",
            description = "devices of the latency runs (default: ${DEFAULT-VALUE})")
    int latencyDevices;

    @Option(
            names = "--skip",
            split = ",",
            description = "parts to leave out: throughput, scale, latency")
    List<String> skip = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LocalStack stack = LocalStack.fromEnvironment();
        ResultsFile results = docs.benchmarkResults();
        Duration runTimeout = Duration.ofMinutes(30);
        try (Topics topics = new Topics(stack)) {
            String mainLog = "bench-log-" + devices + "-device-events";
            Preload.Result preload = preload(stack, topics, mainLog, devices);
            JobRun.Result reference = null;
            if (!skip.contains("throughput")) {
                String ceilingOut = "bench-ceiling-out";
                topics.createTopic(ceilingOut, false);
                say("ceiling: consumer -> transactional producer over %,d records", events);
                CeilingPipe.Result ceiling =
                        CeilingPipe.copy(
                                stack,
                                mainLog,
                                topics.endOffsets(mainLog),
                                ceilingOut,
                                Duration.ofSeconds(1));
                say("  %,.0f records/s", ceiling.recordsPerSecond());
                topics.delete(List.of(ceilingOut));
                List<JobRun.Result> runs = new ArrayList<>();
                Map<String, TaskManagerProfile.Result> profiles = new LinkedHashMap<>();
                for (JobRun.Setup setup :
                        List.of(
                                new JobRun.Setup(
                                        "eo-rocksdb", "rocksdb", "exactly-once", ONE_SECOND),
                                new JobRun.Setup(
                                        "alo-rocksdb", "rocksdb", "at-least-once", ONE_SECOND),
                                new JobRun.Setup(
                                        "eo-hashmap", "hashmap", "exactly-once", ONE_SECOND))) {
                    Path recording =
                            TaskManagerProfile.start(stack, PROFILE_DELAY, PROFILE_DURATION);
                    JobRun.Result run = job(stack, topics, setup, mainLog, devices, runTimeout);
                    runs.add(run);
                    if (run.succeeded()) {
                        profiles.put(setup.name(), profile(recording));
                    }
                }
                reference = runs.get(0);
                results.put("throughput", new Throughput(preload, ceiling, runs, profiles));
                BenchmarksReport.write(results, docs.benchmarksDocument());
            }
            if (!skip.contains("scale")) {
                List<JobRun.Result> runs = new ArrayList<>();
                for (int count : scale) {
                    if (count == devices && reference != null) {
                        runs.add(reference);
                        continue;
                    }
                    String log =
                            count == devices ? mainLog : "bench-log-" + count + "-device-events";
                    if (count != devices) {
                        preload(stack, topics, log, count);
                    }
                    runs.add(
                            job(
                                    stack,
                                    topics,
                                    new JobRun.Setup(
                                            "scale-" + count,
                                            "rocksdb",
                                            "exactly-once",
                                            ONE_SECOND),
                                    log,
                                    count,
                                    runTimeout));
                    if (count != devices) {
                        topics.delete(List.of(log));
                    }
                }
                results.put("scale", new Runs(runs));
                BenchmarksReport.write(results, docs.benchmarksDocument());
            }
            topics.delete(List.of(mainLog));
            if (!skip.contains("latency")) {
                double maxRate =
                        reference != null
                                ? reference.eventsPerSecond()
                                : results.section("throughput")
                                                .path("results")
                                                .path("runs")
                                                .path(0)
                                                .path("events")
                                                .asDouble()
                                        / results.section("throughput")
                                                .path("results")
                                                .path("runs")
                                                .path(0)
                                                .path("seconds")
                                                .asDouble();
                double rate = Math.max(100, Math.round(maxRate / 2 / 100) * 100.0);
                List<LatencyRun.Result> runs = new ArrayList<>();
                for (JobRun.Setup setup :
                        List.of(
                                new JobRun.Setup("eo-1s", "rocksdb", "exactly-once", ONE_SECOND),
                                new JobRun.Setup(
                                        "eo-10s", "rocksdb", "exactly-once", 10 * ONE_SECOND),
                                new JobRun.Setup(
                                        "alo-1s", "rocksdb", "at-least-once", ONE_SECOND))) {
                    say(
                            "latency %s at %,.0f events/s for %d s",
                            setup.name(), rate, latencySeconds);
                    LatencyRun.Result run =
                            LatencyRun.run(
                                    stack,
                                    topics,
                                    setup,
                                    rate,
                                    latencyDevices,
                                    Duration.ofSeconds(latencySeconds),
                                    Duration.ofSeconds(15));
                    say(
                            "  p50 %d ms, p99 %d ms, max %d ms over %,d records",
                            run.p50(), run.p99(), run.max(), run.twins() + run.alerts());
                    runs.add(run);
                }
                results.put("latency", new LatencyRuns(rate, runs));
                BenchmarksReport.write(results, docs.benchmarksDocument());
            }
        }
        say("results in %s, %s", results.file(), docs.benchmarksDocument());
        return 0;
    }

    /** The TaskManager's profile of a run, once its recording has ended. */
    private static TaskManagerProfile.Result profile(Path recording) throws Exception {
        long deadline =
                System.currentTimeMillis()
                        + PROFILE_DELAY.plus(PROFILE_DURATION).toMillis()
                        + 30_000;
        while (!(Files.exists(recording) && Files.size(recording) > 0)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
        }
        Thread.sleep(2000);
        TaskManagerProfile.Result profile = TaskManagerProfile.read(recording);
        say(
                "  TaskManager profile: %,d samples, %s",
                profile.samples(),
                profile.shares().isEmpty()
                        ? "-"
                        : String.format(
                                Locale.ROOT,
                                "%.0f %% %s",
                                profile.shares().get(0).percent(),
                                profile.shares().get(0).part()));
        return profile;
    }

    private Preload.Result preload(LocalStack stack, Topics topics, String topic, int deviceCount)
            throws Exception {
        topics.createTopic(topic, true);
        say("preload: %,d events over %,d devices into %s", events, deviceCount, topic);
        Preload.Result result = Preload.fill(stack, topic, events, deviceCount, 42);
        say("  %,.0f events/s", result.eventsPerSecond());
        return result;
    }

    private static JobRun.Result job(
            LocalStack stack,
            Topics topics,
            JobRun.Setup setup,
            String log,
            int deviceCount,
            Duration timeout) {
        say("job %s over %s", setup.name(), log);
        JobRun.Result result;
        try {
            result = JobRun.run(stack, topics, setup, log, deviceCount, timeout);
        } catch (JobRun.TaskManagerDied e) {
            say("  failed: %s", e.getMessage());
            stack.up();
            return JobRun.Result.failed(setup, 0, deviceCount, e.getMessage());
        }
        say(
                "  %,.0f events/s (steady %,.0f), %,.0f events per CPU-second, checkpoints p50 %d ms p99 %d ms, restarts %d",
                result.eventsPerSecond(),
                result.steadyEventsPerSecond(),
                result.eventsPerCpuSecond(),
                result.checkpointP50Millis(),
                result.checkpointP99Millis(),
                result.restarts());
        return result;
    }

    static void say(String format, Object... args) {
        System.out.printf(
                Locale.ROOT, "%tT " + format + "%n", prepend(System.currentTimeMillis(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    record Throughput(
            Preload.Result preload,
            CeilingPipe.Result ceiling,
            List<JobRun.Result> runs,
            Map<String, TaskManagerProfile.Result> profiles) {}

    record Runs(List<JobRun.Result> runs) {}

    record LatencyRuns(double rate, List<LatencyRun.Result> runs) {}
}
