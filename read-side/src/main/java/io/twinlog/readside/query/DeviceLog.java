package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import io.twinlog.readside.index.StoredRecord;
import java.util.function.Predicate;

/**
 * One device's records of the event log, in log order, and the snapshots kept of its fold. Which
 * snapshots exist never changes an answer, only how much of the log a fold reads: a log may keep
 * none.
 */
public interface DeviceLog {

    /**
     * Hands the device's records after {@code after} (from its first if null) to {@code action}, in
     * log order, until it returns false or the records end.
     */
    void forEachAfter(Position after, Predicate<StoredRecord> action);

    /** The newest snapshot at or before the position (the newest of all if null), or null. */
    DeviceSnapshot snapshotAtOrBefore(Position position);

    /** The newest snapshot whose device clock is at or before {@code epochMillis}, or null. */
    DeviceSnapshot snapshotSeenBy(long epochMillis);

    /** Keeps a snapshot a fold passed, unless one is kept at its position already. */
    void keep(DeviceSnapshot snapshot);
}
