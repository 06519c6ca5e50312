package io.twinlog.cli.kafka;

import io.twinlog.schema.TopicNames;
import io.twinlog.schema.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How twinlog's topics are created: each with the configs {@link Topics} declares for it (the event
 * log keeps everything, the twin topic is compacted, the others keep the broker's time retention),
 * and records of exactly the size the job's producers may send ({@code max.message.bytes} = the
 * job's {@code sink.max-record-bytes}), so a record a producer accepted is never refused by the
 * broker (docs/LIMITS.md).
 */
public record TopicLayout(
        String name, int partitions, Map<String, String> configs, String purpose) {

    public static List<TopicLayout> of(TopicNames topics, int partitions, int maxRecordBytes) {
        return Topics.ALL.stream()
                .map(
                        topic -> {
                            Map<String, String> configs = new HashMap<>(topic.configs());
                            configs.put("max.message.bytes", Integer.toString(maxRecordBytes));
                            return new TopicLayout(
                                    topic.nameIn(topics), partitions, configs, topic.purpose());
                        })
                .toList();
    }
}
