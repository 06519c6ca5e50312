package io.twinlog.bench.streams;

import io.twinlog.twin.SeenEventIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One device's dedup memory in a key-value store shared by all devices of a task: the key is the
 * device id, length-prefixed so that no device's prefix is another's, then the event id. The same
 * layout as DeviceTwinJob's map state (one key per id), so the engines do the same work.
 */
final class StoreSeenEventIds implements SeenEventIds {

    private static final StringSerializer PREFIX = new StringSerializer();

    private final KeyValueStore<String, Long> store;
    private String prefix;

    StoreSeenEventIds(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    StoreSeenEventIds of(String deviceId) {
        prefix = deviceId.length() + ":" + deviceId + ":";
        return this;
    }

    @Override
    public Long timeOf(String eventId) {
        return store.get(prefix + eventId);
    }

    @Override
    public void remember(String eventId, long eventTime) {
        store.put(prefix + eventId, eventTime);
    }

    @Override
    public void forget(String eventId) {
        store.delete(prefix + eventId);
    }

    @Override
    public Iterable<Map.Entry<String, Long>> entries() {
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = store.prefixScan(prefix, PREFIX)) {
            while (all.hasNext()) {
                KeyValue<String, Long> next = all.next();
                entries.add(Map.entry(next.key.substring(prefix.length()), next.value));
            }
        }
        return entries;
    }

    @Override
    public void clear() {
        for (Map.Entry<String, Long> entry : entries()) {
            forget(entry.getKey());
        }
    }
}
