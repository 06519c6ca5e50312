package io.twinlog.kernel;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.BucketedSeenEventIds;
import java.util.List;
import java.util.Map;

/**
 * Where one device's state lives between its events: Flink's keyed state in the job, a map in a
 * replay, a Kafka Streams store in the baseline. The kernel loads before an event and stores only
 * after a fold that succeeded, so a failed fold leaves the stored state as it was.
 */
public interface DeviceStore {

    /**
     * The device's state, or null for a device without one: an object the fold may change (a copy
     * of what is stored, or freshly read from its bytes), never the stored object itself.
     */
    DeviceState load();

    /** The spilled buckets of the device's dedup memory, as stored. */
    BucketedSeenEventIds.Buckets buckets();

    /** The state after an event that changed it. */
    void store(DeviceState state);

    /**
     * The dedup ids of a state written before 0.4.0, kept beside it one entry per id (none where no
     * such state can exist).
     */
    default List<Map.Entry<String, Long>> olderLayoutIds() {
        return List.of();
    }

    /** Drops the ids of the layout before 0.4.0 once they have moved into the state. */
    default void dropOlderLayout() {}

    /** A failure of the store itself: the engine's, never the event's, so it is not quarantined. */
    class StoreException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
