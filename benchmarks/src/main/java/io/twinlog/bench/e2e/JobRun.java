package io.twinlog.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinlog.schema.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One DeviceTwinJob over a preloaded event log, from the earliest offset until it has committed the
 * whole log: how long it took, what it cost in CPU, memory, checkpoints and state.
 */
public final class JobRun {

    /** How a run differs from the others. */
    public record Setup(
            String name,
            String stateBackend,
            String deliveryGuarantee,
            long checkpointIntervalMillis) {}

    /**
     * What a run measured. Times in seconds, sizes in bytes, durations in milliseconds.
     *
     * @param startupSeconds from submission until every task runs
     * @param seconds from submission until the whole log is committed (start-up included)
     */
    public record Result(
            Setup setup,
            long events,
            int devices,
            double startupSeconds,
            double seconds,
            double steadyEventsPerSecond,
            double cpuSeconds,
            Map<String, Double> cpuSecondsByProcess,
            long taskManagerRssPeak,
            long checkpointsCompleted,
            long checkpointP50Millis,
            long checkpointP99Millis,
            long checkpointMaxMillis,
            long stateSize,
            long checkpointBytesOnDisk,
            long restarts,
            String failure) {

        /** A run that did not finish: what stopped it, and nothing measured. */
        public static Result failed(Setup setup, long events, int devices, String failure) {
            return new Result(
                    setup, events, devices, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, failure);
        }

        public boolean succeeded() {
            return failure == null;
        }

        public double eventsPerSecond() {
            return events / seconds;
        }

        public double eventsPerCpuSecond() {
            return events / cpuSeconds;
        }
    }

    private JobRun() {}

    public static Result run(
            LocalStack stack,
            Topics topics,
            Setup setup,
            String eventLog,
            int devices,
            Duration timeout) {
        String prefix = "bench-" + setup.name() + "-";
        TopicNames outputs = topics.create(prefix);
        Map<TopicPartition, Long> ends = topics.endOffsets(eventLog);
        long events = ends.values().stream().mapToLong(Long::longValue).sum();
        Map<String, String> options = options(stack, setup, eventLog, outputs, prefix);

        Map<String, Double> cpuBefore = stack.cpuSeconds();
        long started = System.nanoTime(); // the clock runs from submission, as the CPU count does
        FlinkJob job = FlinkJob.start(stack, options, null);
        double startupSeconds = (System.nanoTime() - started) / 1e9;
        List<long[]> progress = new ArrayList<>(); // {nanos since start, committed}
        long rssPeak = 0;
        long committed = 0;
        try {
            long deadline = started + timeout.toNanos();
            while (committed < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            setup.name()
                                    + ": the job committed "
                                    + committed
                                    + " of "
                                    + events
                                    + " events within "
                                    + timeout);
                }
                if (stack.pid("taskmanager").isEmpty()) {
                    throw new TaskManagerDied(
                            setup.name()
                                    + ": the TaskManager died ("
                                    + stack.taskManagerDeath()
                                    + ")");
                }
                if (!job.state().equals("RUNNING") && !job.state().equals("RESTARTING")) {
                    throw new IllegalStateException(
                            setup.name()
                                    + ": the job is "
                                    + job.state()
                                    + ": "
                                    + job.rootException());
                }
                FlinkJob.sleep(500);
                committed = topics.committed(options.get("group.id"), ends);
                progress.add(new long[] {System.nanoTime() - started, committed});
                rssPeak = Math.max(rssPeak, stack.rssBytes("taskmanager"));
            }
            double seconds = progress.get(progress.size() - 1)[0] / 1e9;
            Map<String, Double> cpuAfter = stack.cpuSeconds();
            Map<String, Double> cpu = new LinkedHashMap<>();
            cpuAfter.forEach(
                    (process, after) ->
                            cpu.put(process, after - cpuBefore.getOrDefault(process, 0.0)));
            JsonNode checkpoints = job.checkpoints();
            JsonNode duration = checkpoints.path("summary").path("end_to_end_duration");
            return new Result(
                    setup,
                    events,
                    devices,
                    startupSeconds,
                    seconds,
                    steadyRate(progress, events),
                    cpu.values().stream().mapToDouble(Double::doubleValue).sum(),
                    cpu,
                    rssPeak,
                    checkpoints.path("counts").path("completed").asLong(),
                    duration.path("p50").asLong(),
                    duration.path("p99").asLong(),
                    duration.path("max").asLong(),
                    checkpoints.path("latest").path("completed").path("state_size").asLong(),
                    FlinkJob.sizeOnDisk(stack.checkpoints().resolve(job.id())),
                    job.restarts(),
                    null);
        } finally {
            job.cancel();
            topics.delete(
                    List.of(
                            outputs.events(),
                            outputs.twins(),
                            outputs.twinEvents(),
                            outputs.alerts(),
                            outputs.late(),
                            outputs.deadLetters()));
        }
    }

    /** The run's TaskManager process ended under it. */
    public static final class TaskManagerDied extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TaskManagerDied(String message) {
            super(message);
        }
    }

    public static Map<String, String> options(
            LocalStack stack, Setup setup, String eventLog, TopicNames outputs, String prefix) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("bootstrap.servers", stack.bootstrapServers());
        options.put("schema.registry.url", stack.registryUrl());
        options.put("topic.events", eventLog);
        options.put("topic.twins", outputs.twins());
        options.put("topic.twin-events", outputs.twinEvents());
        options.put("topic.alerts", outputs.alerts());
        options.put("topic.late", outputs.late());
        options.put("topic.dlq", outputs.deadLetters());
        options.put("group.id", prefix + "job");
        options.put("transactional.id.prefix", prefix + "job");
        options.put("rules.file", stack.rulesFile().toString());
        options.put("checkpoint.interval", setup.checkpointIntervalMillis() + "ms");
        options.put("delivery.guarantee", setup.deliveryGuarantee());
        options.put("state.backend", setup.stateBackend());
        return options;
    }

    /**
     * Events per second between 10 % and 90 % of the log: the rate once started, before the tail.
     */
    public static double steadyRate(List<long[]> progress, long events) {
        long[] from = null;
        long[] to = null;
        for (long[] sample : progress) {
            if (from == null && sample[1] >= events / 10) {
                from = sample;
            }
            if (to == null && sample[1] >= events * 9 / 10) {
                to = sample;
            }
        }
        if (from == null || to == null || to[0] <= from[0]) {
            return 0;
        }
        return (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
    }
}
