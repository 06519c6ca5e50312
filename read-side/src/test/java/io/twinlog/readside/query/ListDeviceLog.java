package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A device's records in memory, with snapshots kept (encoded, as the index keeps them) or not at
 * all: for comparing answers with snapshots and without.
 */
final class ListDeviceLog implements DeviceLog {

    private final List<StoredRecord> records;
    private final boolean keeps;
    private final NavigableMap<Position, byte[]> snapshots = new TreeMap<>();

    private ListDeviceLog(List<StoredRecord> records, boolean keeps) {
        this.records = List.copyOf(records);
        this.keeps = keeps;
    }

    /** The records, no snapshots ever. */
    public static ListDeviceLog of(List<StoredRecord> records) {
        return new ListDeviceLog(records, false);
    }

    /** The records, keeping each snapshot a fold passes. */
    public static ListDeviceLog keepingSnapshots(List<StoredRecord> records) {
        return new ListDeviceLog(records, true);
    }

    @Override
    public void forEachAfter(Position after, Predicate<StoredRecord> action) {
        for (StoredRecord record : records) {
            if (after != null && record.position().atOrBefore(after)) {
                continue;
            }
            if (!action.test(record)) {
                return;
            }
        }
    }

    @Override
    public DeviceSnapshot snapshotAtOrBefore(Position position) {
        Map.Entry<Position, byte[]> entry =
                position == null ? snapshots.lastEntry() : snapshots.floorEntry(position);
        return entry == null ? null : DeviceSnapshot.decode(entry.getValue());
    }

    @Override
    public DeviceSnapshot snapshotSeenBy(long epochMillis) {
        DeviceSnapshot found = null;
        for (byte[] bytes : snapshots.values()) {
            DeviceSnapshot snapshot = DeviceSnapshot.decode(bytes);
            if (snapshot.lastSeen() > epochMillis) {
                break;
            }
            found = snapshot;
        }
        return found;
    }

    @Override
    public void keep(DeviceSnapshot snapshot) {
        if (keeps) {
            snapshots.putIfAbsent(snapshot.position(), snapshot.encode());
        }
    }

    /** The positions of the snapshots kept so far. */
    public List<Position> snapshotPositions() {
        return List.copyOf(snapshots.keySet());
    }

    /** Forgets the snapshots at these positions (a property test: answers with some of them). */
    public void drop(Predicate<Position> which) {
        snapshots.keySet().removeIf(which);
    }
}
