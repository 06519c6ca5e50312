package io.twinlog.twin;

import java.util.Map;

/**
 * The ids of the events a device has applied, with their event times: the dedup memory. Kept apart
 * from the twin because it is large and touched by key, not as a whole (a map state in Flink).
 */
public interface SeenEventIds {

    /** The event time of the remembered id, or null. */
    Long timeOf(String eventId);

    void remember(String eventId, long eventTime);

    void forget(String eventId);

    /** Every remembered id; callers do not forget ids while they iterate. */
    Iterable<Map.Entry<String, Long>> entries();

    void clear();
}
