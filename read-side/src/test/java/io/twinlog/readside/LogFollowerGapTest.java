package io.twinlog.readside;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.readside.index.EventIndex;
import io.twinlog.readside.index.LogGap;
import io.twinlog.readside.views.AlertBoard;
import io.twinlog.readside.views.Fleet;
import io.twinlog.schema.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention that deletes records while the follower is behind: the follower goes on from the log's
 * new start and records what it never read, instead of jumping anywhere in silence.
 */
class LogFollowerGapTest {

    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final TopicPartition EVENTS = new TopicPartition(TOPICS.events(), 0);

    @TempDir Path dir;

    @Test
    void recordsDeletedWhileBehindAreAGapAndTheFollowerGoesOn() throws Exception {
        MockConsumer<byte[], byte[]> consumer =
                new MockConsumer<>(AutoOffsetResetStrategy.NONE.name());
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        for (String topic : List.of(TOPICS.events(), TOPICS.twins(), TOPICS.alerts())) {
            consumer.updatePartitions(
                    topic,
                    List.of(new PartitionInfo(topic, 0, Node.noNode(), new Node[0], new Node[0])));
            ends.put(new TopicPartition(topic, 0), 0L);
            beginnings.put(new TopicPartition(topic, 0), 0L);
        }
        ends.put(EVENTS, 100L);
        consumer.updateEndOffsets(ends);
        consumer.updateBeginningOffsets(beginnings);
        try (EventIndex index = EventIndex.open(dir)) {
            LogFollower follower = follower(consumer, index);
            follower.assign();
            assertThat(index.gaps(TOPICS.events())).isEmpty();

            // Between two polls, retention moves the log's start to 100.
            consumer.updateBeginningOffsets(Map.of(EVENTS, 100L));
            consumer.setPollException(new OffsetOutOfRangeException("planted", Map.of(EVENTS, 0L)));
            follower.catchUp(Duration.ofSeconds(10));

            assertThat(index.gaps(TOPICS.events()))
                    .containsExactly(new LogGap(TOPICS.events(), 0, 0, 100));
            assertThat(consumer.position(EVENTS)).isEqualTo(100L);
            assertThat(index.positions(TOPICS.events())).containsEntry(0, 100L);
            assertThat(follower.positions(TOPICS.events())).containsEntry(0, 100L);
        }
    }

    @Test
    void aClearedIndexForgetsItsGaps() throws Exception {
        try (EventIndex index = EventIndex.open(dir)) {
            try (EventIndex.Batch batch = index.batch()) {
                batch.gap(new LogGap(TOPICS.events(), 0, 5, 7));
                batch.gap(new LogGap(TOPICS.events(), 0, 12, 30));
                batch.gap(new LogGap(TOPICS.events(), 1, 0, 3));
                batch.gap(new LogGap(TOPICS.twins(), 0, 0, 3));
                batch.commit();
            }
            assertThat(index.gaps(TOPICS.events()))
                    .containsExactly(
                            new LogGap(TOPICS.events(), 0, 5, 7),
                            new LogGap(TOPICS.events(), 0, 12, 30),
                            new LogGap(TOPICS.events(), 1, 0, 3));
            index.clear();
            assertThat(index.gaps(TOPICS.events())).isEmpty();
            assertThat(index.gaps(TOPICS.twins())).isEmpty();
        }
    }

    private static LogFollower follower(MockConsumer<byte[], byte[]> consumer, EventIndex index) {
        return new LogFollower(
                consumer,
                TOPICS,
                index,
                null,
                null,
                new Fleet(),
                new AlertBoard(),
                new ReadSideMetrics(),
                () -> {},
                io.twinlog.readside.group.PartitionOwners.alone());
    }
}
