package io.twinlog.cli.flink;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.twinlog.options.SourceOptions;
import java.util.Map;
import java.util.SortedMap;

/**
 * One job as {@code twinlog jobs --json} prints it: its health in milliseconds and bytes, the topic
 * and group it reads, and the lag per partition, or why the lag is unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        String state,
        long uptimeMs,
        long restarts,
        CheckpointView lastCheckpoint,
        long failedCheckpoints,
        long notStartedCheckpoints,
        @JsonInclude(JsonInclude.Include.ALWAYS) String lastCheckpointFailure,
        @JsonInclude(JsonInclude.Include.ALWAYS) String eventsTopic,
        @JsonInclude(JsonInclude.Include.ALWAYS) String group,
        SortedMap<Integer, Long> lag,
        Long totalLag,
        String lagUnknown) {

    public record CheckpointView(long id, long ageMs, long durationMs, long bytes, String path) {}

    public static JobView of(JobHealth health, Map<String, String> options) {
        JobHealth.Checkpoint last = health.lastCheckpoint();
        return new JobView(
                health.id(),
                health.state(),
                health.uptime().toMillis(),
                health.restarts(),
                last == null
                        ? null
                        : new CheckpointView(
                                last.id(),
                                last.age().toMillis(),
                                last.took().toMillis(),
                                last.bytes(),
                                last.path()),
                health.failedCheckpoints(),
                health.notStartedCheckpoints(),
                health.lastFailure(),
                options.get(SourceOptions.TOPIC_EVENTS.key()),
                options.get(SourceOptions.GROUP_ID.key()),
                health.lag(),
                health.lag() == null ? null : health.totalLag(),
                health.lag() == null ? health.lagProblem() : null);
    }
}
