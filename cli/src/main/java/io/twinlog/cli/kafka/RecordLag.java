package io.twinlog.cli.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records behind, not offsets behind. A transaction's commit marker takes an offset of its own, so
 * an idle consumer that read every committed record stays one offset short of the last stable
 * offset per transaction written last (and aborted records take offsets too): a job that has read
 * everything looks behind. A small gap is counted in records by reading it, read_committed; a large
 * one is reported in offsets, which it then is about.
 */
public final class RecordLag {

    /** Gaps up to this many offsets are read to count their records. */
    static final long COUNTED_UP_TO = 1_000;

    private static final Duration READ_FOR = Duration.ofSeconds(3);

    private RecordLag() {}

    /**
     * @param consumer a read_committed consumer, assigned here
     * @param from per partition, the group's committed offset
     * @param to per partition, the last stable offset
     * @return per partition of {@code from}, the records between the two (offsets for a large gap)
     */
    public static Map<TopicPartition, Long> between(
            Consumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> to) {
        Map<TopicPartition, Long> lag = new HashMap<>();
        List<TopicPartition> counted = new ArrayList<>();
        from.forEach(
                (partition, offset) -> {
                    long gap = Math.max(0, to.get(partition) - offset);
                    lag.put(partition, gap);
                    if (gap > 0 && gap <= COUNTED_UP_TO) {
                        counted.add(partition);
                        lag.put(partition, 0L);
                    }
                });
        if (counted.isEmpty()) {
            return lag;
        }
        consumer.assign(counted);
        counted.forEach(p -> consumer.seek(p, from.get(p)));
        long deadline = System.nanoTime() + READ_FOR.toNanos();
        List<TopicPartition> open = new ArrayList<>(counted);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < to.get(partition)) {
                    lag.merge(partition, 1L, Long::sum);
                }
            }
            open.removeIf(p -> consumer.position(p) >= to.get(p));
        }
        // not read to the end in time: what is left counts as offsets
        for (TopicPartition partition : open) {
            lag.merge(partition, to.get(partition) - consumer.position(partition), Long::sum);
        }
        return lag;
    }
}
