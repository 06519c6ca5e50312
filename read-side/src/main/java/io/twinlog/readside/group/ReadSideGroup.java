package io.twinlog.readside.group;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership of the read-side group: a consumer of the event log that only takes
 * part in the group, its assigned partitions paused so that it never fetches a record (the follower
 * reads them, with its own consumer, into the index). Kafka's group coordinator notices an instance
 * that joins, leaves or stops heartbeating, and the group's leader plans again ({@link
 * OwnerAssignor}); the result lands in {@link PartitionOwners}.
 */
public final class ReadSideGroup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSideGroup.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final PartitionOwners owners;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean leave = true;

    /**
     * @param client the cluster's client properties (bootstrap servers, security)
     * @param groupId the group every instance of this read side joins
     * @param sessionTimeout how long an instance may be silent before the others take its
     *     partitions
     * @param indexed the index's next offset per partition of the event log
     */
    public ReadSideGroup(
            Properties client,
            String groupId,
            String topic,
            Duration sessionTimeout,
            PartitionOwners owners,
            Supplier<Map<Integer, Long>> indexed) {
        Map<String, Object> config = new HashMap<>();
        client.forEach((k, v) -> config.put(String.valueOf(k), v));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(OwnerAssignor.class));
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        config.put(
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) Math.max(500, sessionTimeout.toMillis() / 4));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "twinlog-read-side-group-" + owners.self());
        config.put(OwnerAssignor.OWNERS, owners);
        config.put(OwnerAssignor.INDEXED, indexed);
        this.consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.owners = owners;
        this.thread = new Thread(this::run, "read-side-group");
        this.thread.setDaemon(true);
    }

    public ReadSideGroup start() {
        thread.start();
        return this;
    }

    private void run() {
        consumer.subscribe(
                List.of(topic),
                new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        owners.revoked();
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        consumer.pause(partitions);
                        LOG.info(
                                "read-side group generation {}: this instance indexes {} of {}",
                                owners.claim().generation(),
                                partitions.stream()
                                        .map(TopicPartition::partition)
                                        .sorted()
                                        .toList(),
                                topic);
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        owners.revoked();
                    }
                });
        while (running) {
            try {
                consumer.poll(Duration.ofMillis(500));
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                LOG.warn("the read-side group's consumer failed; retrying in 1 s", e);
                owners.revoked();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // Leaving the group tells the coordinator at once, not after the session timeout.
        consumer.close(
                CloseOptions.timeout(Duration.ofSeconds(5))
                        .withGroupMembershipOperation(
                                leave
                                        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                                        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
    }

    @Override
    public void close() {
        close(true);
    }

    /**
     * Stops; without leaving the group the others take its partitions after the session timeout.
     */
    public void close(boolean leaveGroup) {
        leave = leaveGroup;
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
