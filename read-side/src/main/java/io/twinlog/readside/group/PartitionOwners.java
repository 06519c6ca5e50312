package io.twinlog.readside.group;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which read-side instance indexes which partition of the event log, as the group's last assignment
 * said. A service that runs alone owns every partition, always. Thread-safe: the group's thread
 * writes, the follower and the queries read.
 */
public final class PartitionOwners {

    /** One assignment of the group; {@code settled} is false between a revocation and the next. */
    public record Claim(int generation, Map<Integer, String> owners, boolean settled) {
        public Claim {
            owners = Map.copyOf(owners);
        }
    }

    private final String self;
    private volatile Claim claim;

    private PartitionOwners(String self, Claim claim) {
        this.self = self;
        this.claim = claim;
    }

    /** The owners of a service that runs alone: it indexes and answers every partition. */
    public static PartitionOwners alone() {
        return new PartitionOwners(null, null);
    }

    /** The owners of an instance of a group, reachable by the others at {@code self}. */
    public static PartitionOwners member(String self) {
        return new PartitionOwners(self, new Claim(-1, Map.of(), false));
    }

    /** Whether this instance shares the log with others. */
    public boolean grouped() {
        return self != null;
    }

    /** Where the other instances reach this one (null when alone). */
    public String self() {
        return self;
    }

    public Claim claim() {
        return claim;
    }

    /** Whether this instance indexes the partition under the last assignment. */
    public boolean owns(int partition) {
        Claim now = claim;
        return now == null || self.equals(now.owners().get(partition));
    }

    /** The instance that indexes the partition, or null while the group rebalances. */
    public String ownerOf(int partition) {
        Claim now = claim;
        if (now == null) {
            return null;
        }
        return now.settled() ? now.owners().get(partition) : null;
    }

    /** Whether the partition's owner is known now (always, alone). */
    public boolean settled() {
        Claim now = claim;
        return now == null || now.settled();
    }

    /** The group's assignment, as the group leader distributed it. */
    void assigned(int generation, Map<Integer, String> owners) {
        claim = new Claim(generation, new TreeMap<>(owners), true);
    }

    /** A rebalance began: no owner is certain until the next assignment. */
    void revoked() {
        Claim now = claim;
        claim = new Claim(now.generation(), now.owners(), false);
    }
}
