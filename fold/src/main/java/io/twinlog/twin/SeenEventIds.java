package io.twinlog.twin;

import java.util.Collection;
import java.util.Map;

/**
 * The ids of the events a device has applied, with their event times: the dedup memory. Answers as
 * a map from id to event time would; how it is laid out in state is the implementation's concern
 * ({@link BucketedSeenEventIds} in the jobs).
 */
public interface SeenEventIds {

    /** The event time of the remembered id, or null. */
    Long timeOf(String eventId);

    /** Remembers the id with this event time, replacing what was remembered for it. */
    void remember(String eventId, long eventTime);

    /** Forgets every id whose event time is before the cutoff; returns how many ids remain. */
    int forgetBefore(long cutoff);

    void forget(Collection<String> eventIds);

    /** Every remembered id; callers do not change the memory while they iterate. */
    Iterable<Map.Entry<String, Long>> entries();

    void clear();
}
