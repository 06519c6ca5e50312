package io.twinlog.readside.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.readside.LogFollower;
import io.twinlog.readside.ReadSideMetrics;
import io.twinlog.readside.index.EventIndex;
import io.twinlog.readside.views.AlertBoard;
import io.twinlog.readside.views.Fleet;
import io.twinlog.schema.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower of a group member reads the event partitions its group gives it (and every partition
 * of the twins and alerts), and answers for a partition it took over only once it has read what the
 * log held when it got it.
 */
class FollowerOwnershipTest {

    private static final TopicNames TOPICS = TopicNames.defaults();

    @TempDir Path dir;

    @Test
    void readsOnlyItsOwnEventPartitionsAndIsBehindOnATakeoverUntilCaughtUp() throws Exception {
        MockConsumer<byte[], byte[]> consumer =
                new MockConsumer<>(AutoOffsetResetStrategy.NONE.name());
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        for (String topic : List.of(TOPICS.events(), TOPICS.twins(), TOPICS.alerts())) {
            int count = topic.equals(TOPICS.events()) ? 4 : 2;
            List<PartitionInfo> infos = new java.util.ArrayList<>();
            for (int p = 0; p < count; p++) {
                infos.add(new PartitionInfo(topic, p, Node.noNode(), new Node[0], new Node[0]));
                ends.put(new TopicPartition(topic, p), 0L);
                beginnings.put(new TopicPartition(topic, p), 0L);
            }
            consumer.updatePartitions(topic, infos);
        }
        ends.put(new TopicPartition(TOPICS.events(), 2), 3L);
        consumer.updateEndOffsets(ends);
        consumer.updateBeginningOffsets(beginnings);
        PartitionOwners owners = PartitionOwners.member("http://a");
        try (EventIndex index = EventIndex.open(dir);
                LogFollower follower = follower(consumer, index, owners)) {
            follower.assign();
            assertThat(eventPartitions(consumer)).isEmpty();
            assertThat(consumer.assignment()).hasSize(4); // the twins and the alerts

            owners.assigned(1, Map.of(0, "http://a", 1, "http://b", 2, "http://a", 3, "http://b"));
            follower.assign();
            assertThat(eventPartitions(consumer)).containsExactlyInAnyOrder(0, 2);
            assertThat(follower.eventPartitions()).containsExactly(0, 1, 2, 3);
            assertThat(follower.behindTakeover(0)).isZero();
            assertThat(follower.behindTakeover(2)).isEqualTo(3);
            assertThat(follower.behindTakeover(1)).isEqualTo(Long.MAX_VALUE);

            for (int offset = 0; offset < 3; offset++) {
                consumer.addRecord(
                        new ConsumerRecord<>(
                                TOPICS.events(),
                                2,
                                offset,
                                "d-1".getBytes(StandardCharsets.UTF_8),
                                new byte[] {0, 0, 0, 0, 1}));
            }
            follower.catchUp(Duration.ofSeconds(10));
            assertThat(follower.behindTakeover(2)).isZero();

            // the next generation, before the follower applied it, answers for nothing
            owners.assigned(2, Map.of(0, "http://a", 1, "http://a", 2, "http://a", 3, "http://a"));
            assertThat(follower.behindTakeover(2)).isEqualTo(Long.MAX_VALUE);
            follower.assign();
            assertThat(eventPartitions(consumer)).containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(consumer.position(new TopicPartition(TOPICS.events(), 2))).isEqualTo(3);
            assertThat(follower.behindTakeover(2)).isZero();
        }
    }

    private static List<Integer> eventPartitions(MockConsumer<byte[], byte[]> consumer) {
        return consumer.assignment().stream()
                .filter(p -> p.topic().equals(TOPICS.events()))
                .map(TopicPartition::partition)
                .toList();
    }

    private static LogFollower follower(
            MockConsumer<byte[], byte[]> consumer, EventIndex index, PartitionOwners owners) {
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
                owners);
    }
}
