package io.twinlog.cli.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Offsets arithmetic: how many records a topic holds. */
public final class TopicCounts {

    private TopicCounts() {}

    /**
     * Offsets between the start and the last stable offset. With transactional writers this counts
     * the commit markers too, so it is an upper bound of the records a reader sees.
     */
    public static long committedRecords(KafkaConsumer<byte[], byte[]> reader, String topic) {
        List<TopicPartition> partitions = CommittedRecords.partitions(reader, topic);
        Map<TopicPartition, Long> begin = reader.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
    }

    /**
     * The committed records themselves, read from the start to the last stable offset: exact (no
     * transaction markers), and as slow as reading the topic.
     */
    public static long countRecords(KafkaConsumer<byte[], byte[]> reader, String topic) {
        return CommittedRecords.readAll(reader, topic, record -> {});
    }
}
