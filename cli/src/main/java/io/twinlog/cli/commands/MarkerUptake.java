package io.twinlog.cli.commands;

import io.twinlog.cli.kafka.CommittedRecords;
import io.twinlog.cli.options.Connection;
import io.twinlog.connect.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Whether the running job took the markers of a publication: it has committed offsets past every
 * marker (so it read them), and the dead-letter topic holds none of them (so it activated them).
 *
 * @param read partitions whose marker the job has read
 * @param unread partitions whose marker it has not read yet
 * @param refused markers it dead-lettered, partition to the dead letter's reason and message
 */
public record MarkerUptake(
        TreeSet<Integer> read, TreeSet<Integer> unread, Map<Integer, String> refused) {

    static MarkerUptake await(
            Connection connection,
            String group,
            List<RecordMetadata> markers,
            Map<Integer, Long> deadLettersBefore,
            Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        TreeSet<Integer> read = new TreeSet<>();
        TreeSet<Integer> unread = new TreeSet<>();
        try (Admin admin = connection.kafka().admin()) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        connection
                                .kafka()
                                .await(
                                        admin.listConsumerGroupOffsets(group)
                                                .partitionsToOffsetAndMetadata(),
                                        "the job's committed offsets");
                read.clear();
                unread.clear();
                for (RecordMetadata marker : markers) {
                    OffsetAndMetadata offset =
                            committed.get(new TopicPartition(marker.topic(), marker.partition()));
                    (offset != null && offset.offset() > marker.offset() ? read : unread)
                            .add(marker.partition());
                }
                if (unread.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
        }
        if (!read.isEmpty()) {
            // The dead letters of a checkpoint commit when its offsets do: give them a moment.
            Thread.sleep(2_000);
        }
        return new MarkerUptake(read, unread, refusals(connection, markers, deadLettersBefore));
    }

    /** Dead letters written since the publication whose source is one of the markers. */
    private static Map<Integer, String> refusals(
            Connection connection, List<RecordMetadata> markers, Map<Integer, Long> from) {
        String topic = connection.topics().deadLetters();
        Map<Integer, String> refused = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connection.kafka().committedReader()) {
            List<TopicPartition> partitions = CommittedRecords.partitions(consumer, topic);
            consumer.assign(partitions);
            partitions.forEach(p -> consumer.seek(p, from.getOrDefault(p.partition(), 0L)));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    for (RecordMetadata marker : markers) {
                        if (header(record, RecordHeaders.ERRORS_TOPIC).equals(marker.topic())
                                && header(record, RecordHeaders.ERRORS_PARTITION)
                                        .equals(Integer.toString(marker.partition()))
                                && header(record, RecordHeaders.ERRORS_OFFSET)
                                        .equals(Long.toString(marker.offset()))) {
                            refused.put(
                                    marker.partition(),
                                    header(record, RecordHeaders.ERRORS_REASON)
                                            + ": "
                                            + header(
                                                    record,
                                                    RecordHeaders.ERRORS_EXCEPTION_MESSAGE));
                        }
                    }
                }
            }
        }
        return refused;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** One line (or a few) for the publisher. */
    String describe(int version) {
        List<String> lines = new ArrayList<>();
        if (!refused.isEmpty()) {
            lines.add(
                    "error: the job refused version "
                            + version
                            + " in partitions "
                            + refused.keySet()
                            + ":");
            refused.forEach((p, why) -> lines.add("  partition " + p + ": " + why));
        }
        if (unread.isEmpty()) {
            if (refused.isEmpty()) {
                lines.add("the running job took version " + version + " in every partition");
            }
        } else if (read.isEmpty()) {
            lines.add(
                    "no job has read the markers yet (is one running? twinlog jobs); version "
                            + version
                            + " takes effect where each partition's events follow it, when a job"
                            + " reads them");
        } else {
            lines.add(
                    "the job has not read the markers of partitions "
                            + unread
                            + " yet (it took "
                            + read
                            + "); twinlog rules list shows each partition's versions");
        }
        return String.join("\n", lines);
    }
}
