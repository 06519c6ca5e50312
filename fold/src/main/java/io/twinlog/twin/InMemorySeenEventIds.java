package io.twinlog.twin;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Dedup memory on a plain map, for folds outside Flink (verification, tests). */
public final class InMemorySeenEventIds implements SeenEventIds {

    private final Map<String, Long> ids = new HashMap<>();

    @Override
    public Long timeOf(String eventId) {
        return ids.get(eventId);
    }

    @Override
    public void remember(String eventId, long eventTime) {
        ids.put(eventId, eventTime);
    }

    @Override
    public int forgetBefore(long cutoff) {
        ids.values().removeIf(time -> time < cutoff);
        return ids.size();
    }

    @Override
    public void forget(Collection<String> eventIds) {
        ids.keySet().removeAll(eventIds);
    }

    @Override
    public Iterable<Map.Entry<String, Long>> entries() {
        return Collections.unmodifiableMap(ids).entrySet();
    }

    @Override
    public void clear() {
        ids.clear();
    }

    /** The remembered ids with their event times, sorted by id. */
    public Map<String, Long> asMap() {
        return new java.util.TreeMap<>(ids);
    }

    public int size() {
        return ids.size();
    }
}
