package io.twinlog.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.readside.index.EventIndex;
import io.twinlog.readside.views.AlertBoard;
import io.twinlog.readside.views.Fleet;
import io.twinlog.schema.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that cannot go on (out of memory, a bug) says so instead of leaving a service that
 * looks healthy over an index that no longer moves.
 */
class LogFollowerDeathTest {

    @TempDir Path dir;

    @Test
    void aFollowerThatDiesRecordsWhyAndTellsItsListener() throws Exception {
        TopicNames topics = TopicNames.defaults();
        MockConsumer<byte[], byte[]> consumer =
                new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()) {
                    @Override
                    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
                        throw new OutOfMemoryError("Java heap space (planted)");
                    }
                };
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        for (String topic : List.of(topics.events(), topics.twins(), topics.alerts())) {
            consumer.updatePartitions(
                    topic,
                    List.of(new PartitionInfo(topic, 0, Node.noNode(), new Node[0], new Node[0])));
            TopicPartition partition = new TopicPartition(topic, 0);
            ends.put(partition, 1L);
            consumer.updateBeginningOffsets(Map.of(partition, 0L));
        }
        consumer.updateEndOffsets(ends);
        try (EventIndex index = EventIndex.open(dir)) {
            LogFollower follower =
                    new LogFollower(
                            consumer,
                            topics,
                            index,
                            null,
                            null,
                            new Fleet(),
                            new AlertBoard(),
                            new ReadSideMetrics(),
                            () -> {},
                            io.twinlog.readside.group.PartitionOwners.alone());
            CountDownLatch told = new CountDownLatch(1);
            follower.onDeath(told::countDown);
            assertThat(follower.death()).isNull();

            follower.start();

            assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(follower.death())
                    .isInstanceOf(OutOfMemoryError.class)
                    .hasMessage("Java heap space (planted)");
        }
    }
}
