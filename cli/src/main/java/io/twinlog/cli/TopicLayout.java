package io.twinlog.cli;

import io.twinlog.schema.TopicNames;

import java.util.List;
import java.util.Map;

/**
 * How twinlog's topics are created. The event log keeps everything (it is the source of truth, and
 * history questions are answered from it); the twin topic is compacted (its latest value per key is
 * the twin); the others keep the broker's time retention.
 */
public record TopicLayout(String name, int partitions, Map<String, String> configs, String purpose) {

    public static List<TopicLayout> of(TopicNames topics, int partitions) {
        return List.of(
                new TopicLayout(topics.events(), partitions, Map.of("retention.ms", "-1", "retention.bytes", "-1"),
                        "the event log: source of truth, kept forever"),
                new TopicLayout(topics.twins(), partitions,
                        Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.1", "segment.ms", "3600000"),
                        "latest twin per device (compacted)"),
                new TopicLayout(topics.twinEvents(), partitions, Map.of(), "derived events with provenance"),
                new TopicLayout(topics.alerts(), partitions, Map.of(), "alerts: RAISED / CLEARED"),
                new TopicLayout(topics.late(), partitions, Map.of(), "late events, unchanged"),
                new TopicLayout(topics.deadLetters(), partitions, Map.of(), "dead letters with error headers"));
    }
}
