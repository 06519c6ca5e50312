package io.twinlog.cli;

import io.twinlog.schema.TopicNames;

import java.util.List;
import java.util.Map;

/**
 * How twinlog's topics are created. The event log keeps everything (it is the source of truth, and
 * history questions are answered from it); the twin topic is compacted (its latest value per key is
 * the twin); the others keep the broker's time retention. Every topic takes records of exactly the size
 * the job's producers may send ({@code max.message.bytes} = the job's {@code sink.max-record-bytes}),
 * so a record a producer accepted is never refused by the broker (docs/LIMITS.md).
 */
public record TopicLayout(String name, int partitions, Map<String, String> configs, String purpose) {

    public static List<TopicLayout> of(TopicNames topics, int partitions, int maxRecordBytes) {
        String max = Integer.toString(maxRecordBytes);
        return List.of(
                new TopicLayout(topics.events(), partitions,
                        Map.of("retention.ms", "-1", "retention.bytes", "-1", "max.message.bytes", max),
                        "the event log: source of truth, kept forever"),
                new TopicLayout(topics.twins(), partitions, Map.of("cleanup.policy", "compact",
                        "min.cleanable.dirty.ratio", "0.1", "segment.ms", "3600000", "max.message.bytes", max),
                        "latest twin per device (compacted)"),
                new TopicLayout(topics.twinEvents(), partitions, Map.of("max.message.bytes", max),
                        "derived events with provenance"),
                new TopicLayout(topics.alerts(), partitions, Map.of("max.message.bytes", max), "alerts: RAISED / CLEARED"),
                new TopicLayout(topics.late(), partitions, Map.of("max.message.bytes", max), "late events, unchanged"),
                new TopicLayout(topics.deadLetters(), partitions, Map.of("max.message.bytes", max),
                        "dead letters with error headers"));
    }
}
