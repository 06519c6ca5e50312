package io.twinlog.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

public class RecordLagTest {

    private static final TopicPartition P0 = new TopicPartition("device-events", 0);
    private static final TopicPartition P1 = new TopicPartition("device-events", 1);
    private static final TopicPartition P2 = new TopicPartition("device-events", 2);

    @Test
    void offsetsThatHoldNoRecordAreNoLag() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L, P2, 0L));
        // p0: the job read up to 41; offset 42 is a commit marker, the last stable offset 43.
        // p1: records at 10 and 12, markers at 11 and 13. A read_committed consumer moves past
        // markers without returning them: the seeks stand for that.
        consumer.schedulePollTask(
                () -> {
                    consumer.addRecord(record(P1, 10));
                    consumer.addRecord(record(P1, 12));
                });
        consumer.schedulePollTask(
                () -> {
                    consumer.seek(P0, 43);
                    consumer.seek(P1, 14);
                });

        Map<TopicPartition, Long> lag =
                RecordLag.between(
                        consumer,
                        Map.of(P0, 42L, P1, 10L, P2, 5_000L),
                        Map.of(P0, 43L, P1, 14L, P2, 900_000L));

        assertThat(lag)
                .containsEntry(P0, 0L)
                .containsEntry(P1, 2L)
                .as("a large gap stays in offsets, unread")
                .containsEntry(P2, 895_000L);
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(
                partition.topic(), partition.partition(), offset, new byte[0], new byte[0]);
    }
}
