package io.twinlog.cli.flink;

import io.twinlog.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What an operator asks about a running job, from Flink's REST answers ({@code /jobs/<id>}, its
 * checkpoints and its {@code numRestarts} metric) and the consumer lag of its group.
 *
 * @param uptime since the job last switched to RUNNING (zero when it is not running)
 * @param restarts since it was submitted
 * @param lastCheckpoint the latest completed checkpoint, or null
 * @param failedCheckpoints how many failed since the job started, once started (see {@link
 *     #notStarted(FlinkResponses.Checkpoints)})
 * @param notStartedCheckpoints how many could not even start because not all tasks were running yet
 *     (a job's first seconds): Flink counts them as failed
 * @param lastFailure the latest failed checkpoint's message, or null
 * @param lag per partition of the event log, the group's committed offset behind the last committed
 *     record (null when Kafka could not be asked; see lagProblem)
 */
public record JobHealth(
        String id,
        String state,
        Duration uptime,
        long restarts,
        Checkpoint lastCheckpoint,
        long failedCheckpoints,
        long notStartedCheckpoints,
        String lastFailure,
        SortedMap<Integer, Long> lag,
        String lagProblem) {

    /** A completed checkpoint: its id, how long ago it completed, how long it took, its size. */
    public record Checkpoint(long id, Duration age, Duration took, long bytes, String path) {}

    public static JobHealth of(
            FlinkResponses.JobDetails job,
            FlinkResponses.Checkpoints checkpoints,
            List<FlinkResponses.Metric> metrics,
            SortedMap<Integer, Long> lag,
            String lagProblem) {
        String state = job.state();
        long now = job.now() == null ? System.currentTimeMillis() : job.now();
        long runningSince = job.timestamps().getOrDefault("RUNNING", 0L);
        Duration uptime =
                "RUNNING".equals(state) && runningSince > 0
                        ? Duration.ofMillis(Math.max(0, now - runningSince))
                        : Duration.ZERO;
        long restarts =
                metrics.stream()
                        .filter(m -> "numRestarts".equals(m.id()) && m.value() != null)
                        .mapToLong(m -> (long) Double.parseDouble(m.value()))
                        .reduce(0, (a, b) -> b);
        var completed = checkpoints.latest().completed();
        Checkpoint last =
                completed == null
                        ? null
                        : new Checkpoint(
                                completed.id(),
                                Duration.ofMillis(
                                        Math.max(
                                                0,
                                                now
                                                        - (completed.latestAck() == null
                                                                ? now
                                                                : completed.latestAck()))),
                                Duration.ofMillis(completed.endToEndDuration()),
                                completed.checkpointedSize() != null
                                        ? completed.checkpointedSize()
                                        : completed.stateSize() == null ? 0 : completed.stateSize(),
                                completed.externalPath());
        var failed = checkpoints.latest().failed();
        String failure = failed == null ? null : failed.failureMessage();
        long notStarted = notStarted(checkpoints);
        return new JobHealth(
                job.jid(),
                state,
                uptime,
                restarts,
                last,
                checkpoints.counts().failed() - notStarted,
                notStarted,
                failure,
                lag,
                lagProblem);
    }

    /**
     * Checkpoints Flink counted as failed that never started: a trigger refused because not all
     * tasks were running (start-up, a restart) leaves no entry in the history, only the count.
     * Known exactly while the history holds every checkpoint that started (it keeps the latest
     * few); 0 when it cannot tell.
     */
    static long notStarted(FlinkResponses.Checkpoints checkpoints) {
        var counts = checkpoints.counts();
        long completed = 0;
        long inProgress = 0;
        long failed = 0;
        for (var entry : checkpoints.history()) {
            switch (entry.status() == null ? "" : entry.status()) {
                case "COMPLETED" -> completed++;
                case "IN_PROGRESS" -> inProgress++;
                case "FAILED" -> failed++;
                default -> {}
            }
        }
        boolean complete = counts.completed() == completed && counts.inProgress() == inProgress;
        return complete ? Math.max(0, counts.failed() - failed) : 0;
    }

    /** The records behind over the partitions that have an offset (-1 marks none yet). */
    public long totalLag() {
        return lag == null
                ? 0
                : lag.values().stream().mapToLong(Long::longValue).filter(n -> n >= 0).sum();
    }

    /** Lines for a terminal: the job, its checkpoints, its lag. */
    public String describe(Map<String, String> options) {
        StringBuilder text = new StringBuilder();
        text.append(
                String.format(
                        "%s  %-10s up %-9s restarts %d%n",
                        id, state, Durations.human(uptime), restarts));
        if (lastCheckpoint == null) {
            text.append("  checkpoints: none completed yet");
        } else {
            text.append(
                    String.format(
                            "  last checkpoint #%d %s ago, took %s, %s",
                            lastCheckpoint.id(),
                            Durations.human(lastCheckpoint.age()),
                            Durations.human(lastCheckpoint.took()),
                            bytes(lastCheckpoint.bytes())));
        }
        if (failedCheckpoints > 0) {
            text.append(String.format("; %d failed", failedCheckpoints));
            if (lastFailure != null) {
                text.append(" (latest: ").append(lastFailure).append(')');
            }
        }
        if (notStartedCheckpoints > 0) {
            text.append(
                    String.format(
                            "; %d not started (tasks not running yet)", notStartedCheckpoints));
        }
        text.append('\n');
        String group = options.getOrDefault("group.id", "?");
        String topic = options.getOrDefault("topic.events", "?");
        if (lag == null) {
            text.append("  lag: unknown (").append(lagProblem).append(")\n");
        } else {
            StringBuilder partitions = new StringBuilder();
            lag.forEach(
                    (partition, behind) ->
                            partitions
                                    .append(partitions.length() == 0 ? "" : ", ")
                                    .append('p')
                                    .append(partition)
                                    .append(' ')
                                    .append(
                                            behind < 0
                                                    ? "no offset yet"
                                                    : String.format("%,d", behind)));
            text.append(
                    String.format(
                            "  lag of group %s on %s: %,d records (%s)%n",
                            group, topic, totalLag(), partitions));
        }
        return text.toString();
    }

    private static String bytes(long bytes) {
        return bytes < 1024 * 1024
                ? String.format("%.0f KB", bytes / 1024.0)
                : String.format("%.1f MB", bytes / (1024.0 * 1024));
    }
}
