package io.twinlog.readside.group;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The read-side group's assignor (Kafka's classic group protocol, client-side assignment, as Kafka
 * Streams' interactive queries do it): each member tells its URL and how far its index has read
 * each partition; the leader plans ({@link OwnerPlan}) and gives every member the whole map of
 * partition to URL, so that any instance can route a request to the partition's owner.
 */
public final class OwnerAssignor implements ConsumerPartitionAssignor, Configurable {

    /** The consumer configuration key of this instance's {@link PartitionOwners}. */
    public static final String OWNERS = "twinlog.read-side.owners";

    /** The key of a {@code Supplier<Map<Integer, Long>>}: the index's next offset per partition. */
    public static final String INDEXED = "twinlog.read-side.indexed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Subscription(String url, Map<Integer, Long> indexed, List<Integer> owned) {}

    private record Owners(Map<Integer, String> owners) {}

    private PartitionOwners owners;
    private Supplier<Map<Integer, Long>> indexed;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        this.owners = (PartitionOwners) configs.get(OWNERS);
        this.indexed = (Supplier<Map<Integer, Long>>) configs.get(INDEXED);
        if (owners == null || indexed == null) {
            throw new IllegalArgumentException(
                    OwnerAssignor.class.getSimpleName() + " needs " + OWNERS + " and " + INDEXED);
        }
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        List<Integer> owned = new ArrayList<>();
        PartitionOwners.Claim claim = owners.claim();
        claim.owners()
                .forEach(
                        (partition, url) -> {
                            if (url.equals(owners.self())) {
                                owned.add(partition);
                            }
                        });
        return encode(new Subscription(owners.self(), indexed.get(), owned));
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription group) {
        Map<String, ConsumerPartitionAssignor.Subscription> members = group.groupSubscription();
        List<OwnerPlan.Member> reports = new ArrayList<>();
        Set<String> topics = new java.util.TreeSet<>();
        members.forEach(
                (id, subscription) -> {
                    Subscription told = decode(subscription.userData(), Subscription.class);
                    reports.add(
                            new OwnerPlan.Member(
                                    id,
                                    told.url(),
                                    told.indexed(),
                                    told.owned() == null ? Set.of() : Set.copyOf(told.owned())));
                    topics.addAll(subscription.topics());
                });
        if (topics.size() != 1) {
            throw new IllegalStateException(
                    "the read-side group follows one event log, its members subscribe to "
                            + topics);
        }
        String topic = topics.iterator().next();
        List<PartitionInfo> infos = metadata.partitionsForTopic(topic);
        List<Integer> partitions = infos.stream().map(PartitionInfo::partition).toList();
        Map<String, List<Integer>> plan = OwnerPlan.plan(partitions, reports);
        Map<Integer, String> urls = new HashMap<>();
        for (OwnerPlan.Member member : reports) {
            plan.get(member.memberId()).forEach(p -> urls.put(p, member.url()));
        }
        ByteBuffer map = encode(new Owners(urls));
        Map<String, Assignment> assignments = new HashMap<>();
        plan.forEach(
                (id, owned) ->
                        assignments.put(
                                id,
                                new Assignment(
                                        owned.stream()
                                                .map(p -> new TopicPartition(topic, p))
                                                .toList(),
                                        map.duplicate())));
        return new GroupAssignment(assignments);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        owners.assigned(
                metadata.generationId(), decode(assignment.userData(), Owners.class).owners());
    }

    @Override
    public String name() {
        return "twinlog-read-side";
    }

    private static ByteBuffer encode(Object value) {
        try {
            return ByteBuffer.wrap(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T decode(ByteBuffer buffer, Class<T> type) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "a member of the read-side group sent what this version cannot read: "
                            + e.getMessage(),
                    e);
        }
    }
}
