package io.twinlog.bench.compare;

import io.twinlog.bench.e2e.FlinkJob;
import io.twinlog.bench.e2e.JobRun;
import io.twinlog.bench.e2e.LocalStack;
import io.twinlog.bench.e2e.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One engine's pass over the preloaded log, measured from its submission until its committed
 * consumer offsets reach the end of the log: the clock, the CPU of every process that took part,
 * where the worker's CPU went, and what it wrote.
 */
final class EngineRun {

    /**
     * What a pass measured. Times in seconds.
     *
     * @param startupSeconds from submission until every task runs
     * @param seconds from submission until the whole log is committed: the rate including start-up
     * @param steadyEventsPerSecond between 10 % and 90 % of the log committed
     * @param cpuSecondsByProcess from submission to the end, each process that took part (broker
     *     and registry included)
     * @param workerThreads the worker process's CPU seconds per group of threads over the pass
     * @param stateMetrics what the state store reported at the end (RocksDB's counters)
     * @param profile where the worker's CPU went in the profiled window, native code included
     */
    record Result(
            String engine,
            int round,
            long events,
            double startupSeconds,
            double seconds,
            double steadyEventsPerSecond,
            Map<String, Double> cpuSecondsByProcess,
            Map<String, Double> workerThreads,
            long workerRssPeak,
            Map<String, Double> stateMetrics,
            long restarts,
            Map<String, OutputDigest.TopicDigest> outputs,
            Profiler.Result profile) {

        double eventsPerSecond() {
            return events / seconds;
        }

        double cpuSeconds() {
            return cpuSecondsByProcess.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double cpuMicrosPerEvent() {
            return cpuSeconds() * 1e6 / events;
        }
    }

    /** When to profile the worker: from {@code delay} after it runs, for {@code duration}. */
    record ProfileWindow(Duration delay, Duration duration, Path library, Path directory) {}

    private static final long CHECK_EVERY_NANOS = 2_000_000_000L;

    private EngineRun() {}

    static Result run(
            LocalStack stack,
            Topics topics,
            Engine engine,
            int round,
            Map<String, String> options,
            String eventLog,
            Duration timeout,
            ProfileWindow window)
            throws Exception {
        Map<TopicPartition, Long> ends = topics.endOffsets(eventLog);
        long events = ends.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> shared = sharedCpu(stack);
        long submitted = System.nanoTime();
        Engine.Pass pass = engine.submit(options);
        try {
            Map<Long, ThreadCpu.Thread> threadsBefore = ThreadCpu.snapshot(pass.workerPid());
            Map<String, Double> engineBefore = pass.cpuSeconds();
            long deadline = submitted + timeout.toNanos();
            long runningAt = 0;
            long profileFrom = Long.MAX_VALUE;
            long profileUntil = Long.MAX_VALUE;
            boolean profiling = false;
            Path collapsed = null;
            List<long[]> progress = new ArrayList<>();
            long committed = 0;
            long rssPeak = 0;
            long lastCheck = 0;
            while (committed < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            engine.name()
                                    + " committed "
                                    + committed
                                    + " of "
                                    + events
                                    + " events within "
                                    + timeout);
                }
                long now = System.nanoTime();
                if (now - lastCheck > CHECK_EVERY_NANOS) {
                    pass.checkAlive(); // a REST call for Flink: not at every poll
                    lastCheck = now;
                }
                if (runningAt == 0 && pass.running()) {
                    runningAt = now;
                    if (window != null) {
                        profileFrom = now + window.delay().toNanos();
                        profileUntil = profileFrom + window.duration().toNanos();
                    }
                }
                if (!profiling && now >= profileFrom && now < profileUntil) {
                    Profiler.start(pass.workerPid(), window.library());
                    profiling = true;
                }
                if (profiling && now >= profileUntil) {
                    collapsed = stopProfile(pass, window, engine, round);
                    profiling = false;
                }
                FlinkJob.sleep(500);
                committed = topics.committed(options.get("group.id"), ends);
                progress.add(new long[] {System.nanoTime() - submitted, committed});
                rssPeak = Math.max(rssPeak, LocalStack.rssOf(pass.workerPid()));
            }
            double seconds = progress.get(progress.size() - 1)[0] / 1e9;
            if (profiling) {
                collapsed = stopProfile(pass, window, engine, round);
            }
            Map<String, Double> cpu = new LinkedHashMap<>();
            sharedCpu(stack).forEach((p, after) -> cpu.put(p, after - shared.getOrDefault(p, 0.0)));
            pass.cpuSeconds()
                    .forEach((p, after) -> cpu.put(p, after - engineBefore.getOrDefault(p, 0.0)));
            Map<String, Double> threads =
                    ThreadCpu.secondsByGroup(threadsBefore, ThreadCpu.snapshot(pass.workerPid()));
            return new Result(
                    engine.name(),
                    round,
                    events,
                    runningAt == 0 ? seconds : (runningAt - submitted) / 1e9,
                    seconds,
                    JobRun.steadyRate(progress, events),
                    cpu,
                    threads,
                    rssPeak,
                    pass.stateMetrics(),
                    pass.restarts(),
                    null,
                    collapsed == null ? null : Profiler.read(collapsed));
        } finally {
            pass.close();
        }
    }

    /** The same result with what the pass wrote. */
    static Result withOutputs(Result result, Map<String, OutputDigest.TopicDigest> outputs) {
        return new Result(
                result.engine(),
                result.round(),
                result.events(),
                result.startupSeconds(),
                result.seconds(),
                result.steadyEventsPerSecond(),
                result.cpuSecondsByProcess(),
                result.workerThreads(),
                result.workerRssPeak(),
                result.stateMetrics(),
                result.restarts(),
                outputs,
                result.profile());
    }

    private static Path stopProfile(
            Engine.Pass pass, ProfileWindow window, Engine engine, int round) {
        return Profiler.stop(
                pass.workerPid(),
                window.library(),
                window.directory().resolve(engine.name() + "-round" + round + ".collapsed.txt"));
    }

    /** The broker's and the registry's CPU: they serve every engine. */
    private static Map<String, Double> sharedCpu(LocalStack stack) {
        Map<String, Double> shared = new LinkedHashMap<>();
        stack.cpuSeconds()
                .forEach(
                        (process, seconds) -> {
                            if (process.equals("kafka") || process.equals("registry")) {
                                shared.put(process, seconds);
                            }
                        });
        return shared;
    }
}
