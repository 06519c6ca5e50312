package io.twinlog.readside.group;

/**
 * Where a device's questions are answered in a read-side group: here, by the instance that owns its
 * partition of the event log, by nobody for now (the partition is changing hands), or unknown (no
 * twin and no record here: any instance may hold it).
 *
 * @param partition the device's partition of the event log (-1 if unplaced)
 * @param owner the URL of the instance that answers (REMOTE)
 * @param reason why nobody answers now (MOVING)
 */
public record Placement(Kind kind, int partition, String owner, String reason) {

    public enum Kind {
        LOCAL,
        REMOTE,
        MOVING,
        UNPLACED
    }

    public static Placement local(int partition) {
        return new Placement(Kind.LOCAL, partition, null, null);
    }

    public static Placement remote(int partition, String owner) {
        return new Placement(Kind.REMOTE, partition, owner, null);
    }

    public static Placement moving(int partition, String reason) {
        return new Placement(Kind.MOVING, partition, null, reason);
    }

    public static Placement unplaced() {
        return new Placement(Kind.UNPLACED, -1, null, null);
    }
}
