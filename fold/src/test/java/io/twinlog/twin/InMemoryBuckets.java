package io.twinlog.twin;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Spilled buckets of one device in a map, counting what the memory reads and writes. */
public final class InMemoryBuckets implements BucketedSeenEventIds.Buckets {

    private final Map<Integer, Map<String, Long>> buckets = new TreeMap<>();
    int reads;
    int writes;

    @Override
    public Map<String, Long> get(int bucket) {
        reads++;
        return new HashMap<>(buckets.getOrDefault(bucket, Map.of()));
    }

    @Override
    public void put(int bucket, Map<String, Long> ids) {
        writes++;
        buckets.put(bucket, new HashMap<>(ids));
    }

    @Override
    public void remove(int bucket) {
        writes++;
        buckets.remove(bucket);
    }

    int size() {
        return buckets.size();
    }

    /** Every id of every bucket, to check that no id is in two places. */
    Map<Integer, Map<String, Long>> all() {
        return buckets;
    }
}
