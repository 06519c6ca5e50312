package io.twinlog.cli.kafka;

import io.twinlog.cli.output.CliException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reading a whole topic once, as the commands that count or replay it do. */
public final class CommittedRecords {

    private CommittedRecords() {}

    /** The topic's partitions; a missing topic is an error that says how to create it. */
    public static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        if (partitions.isEmpty()) {
            throw new CliException(
                    "topic " + topic + " does not exist (scripts/twinlog topics create)");
        }
        return partitions;
    }

    /**
     * Hands every record of the topic, from its start to its end when the read began, to {@code
     * each}, partition order kept; records appended meanwhile are left out.
     *
     * @param consumer a read_committed consumer; it is assigned the topic's partitions
     * @return how many records were handed on
     */
    public static long readAll(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long read = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
                    each.accept(record);
                    read++;
                }
            }
        }
        return read;
    }
}
