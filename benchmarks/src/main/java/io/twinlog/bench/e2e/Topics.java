package io.twinlog.bench.e2e;

import io.twinlog.cli.TwinlogCli;
import io.twinlog.cli.kafka.TopicLayout;
import io.twinlog.options.OutputSizes;
import io.twinlog.schema.TopicNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The topics of one run: created with the CLI's layout, measured and deleted with the admin client.
 */
public final class Topics implements AutoCloseable {

    /** As {@code twinlog topics create} makes them. */
    static final int PARTITIONS = 4;

    private final LocalStack stack;
    private final Admin admin;

    public Topics(LocalStack stack) {
        this.stack = stack;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 120_000);
        this.admin = Admin.create(props);
    }

    /**
     * The six topics with this prefix, created by {@code twinlog topics create} (partitions,
     * configs, subjects).
     */
    public TopicNames create(String prefix) {
        int exit =
                TwinlogCli.run(
                        "topics",
                        "create",
                        "--topic-prefix",
                        prefix,
                        "--bootstrap-servers",
                        stack.bootstrapServers(),
                        "--registry-url",
                        stack.registryUrl());
        if (exit != 0) {
            throw new IllegalStateException(
                    "twinlog topics create --topic-prefix " + prefix + " failed");
        }
        return names(prefix);
    }

    /** One topic laid out as twinlog's event log (4 partitions, kept forever), or a plain one. */
    public void createTopic(String name, boolean eventLog) {
        TopicLayout layout =
                TopicLayout.of(names(""), PARTITIONS, OutputSizes.DEFAULT_MAX_RECORD_BYTES).get(0);
        NewTopic topic = new NewTopic(name, PARTITIONS, (short) 1);
        if (eventLog) {
            topic.configs(layout.configs());
        }
        try {
            admin.createTopics(List.of(topic)).all().get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + name, e);
        }
    }

    public static TopicNames names(String prefix) {
        return new TopicNames(
                prefix + TopicNames.DEVICE_EVENTS,
                prefix + TopicNames.DEVICE_TWINS,
                prefix + TopicNames.DEVICE_TWIN_EVENTS,
                prefix + TopicNames.DEVICE_ALERTS,
                prefix + TopicNames.DEVICE_EVENTS_LATE,
                prefix + TopicNames.DEVICE_EVENTS_DLQ);
    }

    /** Deletes every topic whose name starts with the prefix (e.g. an application's changelogs). */
    public void deleteStartingWith(String prefix) {
        try {
            List<String> names =
                    admin.listTopics().names().get(1, TimeUnit.MINUTES).stream()
                            .filter(name -> name.startsWith(prefix))
                            .toList();
            if (!names.isEmpty()) {
                delete(names);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the topics", e);
        }
    }

    public void delete(List<String> topics) {
        try {
            admin.deleteTopics(topics).all().get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + topics, e);
        }
    }

    /**
     * The end offset of each partition of a topic (for a transactional topic: after the last
     * marker).
     */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            var partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(1, TimeUnit.MINUTES)
                            .get(topic)
                            .partitions();
            Map<TopicPartition, OffsetSpec> request =
                    partitions.stream()
                            .collect(
                                    Collectors.toMap(
                                            p -> new TopicPartition(topic, p.partition()),
                                            p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    admin.listOffsets(request).all().get(1, TimeUnit.MINUTES);
            Map<TopicPartition, Long> ends = new HashMap<>();
            result.forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    /** Records (offsets) of a topic. */
    public long size(String topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** How far a consumer group has committed, summed over the given partitions. */
    public long committed(String group, Map<TopicPartition, Long> partitions) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(1, TimeUnit.MINUTES);
            long sum = 0;
            for (TopicPartition partition : partitions.keySet()) {
                OffsetAndMetadata offset = offsets.get(partition);
                sum += offset == null ? 0 : offset.offset();
            }
            return sum;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
