package io.twinlog.twin;

import java.util.HashMap;
import java.util.Map;

/**
 * The spilled buckets of one device with the writes of one event held back until {@link #commit}:
 * an event whose fold fails leaves the stored buckets as they were (docs/LIMITS.md, "When the fold
 * fails"), and a bucket written twice by one event is stored once.
 */
public final class PendingBuckets implements BucketedSeenEventIds.Buckets {

    private final BucketedSeenEventIds.Buckets stored;
    // Bucket number to its pending ids; null for a pending removal.
    private final Map<Integer, Map<String, Long>> pending = new HashMap<>();

    public PendingBuckets(BucketedSeenEventIds.Buckets stored) {
        this.stored = stored;
    }

    @Override
    public Map<String, Long> get(int bucket) {
        if (pending.containsKey(bucket)) {
            Map<String, Long> ids = pending.get(bucket);
            return ids == null ? new HashMap<>() : new HashMap<>(ids);
        }
        return stored.get(bucket);
    }

    @Override
    public void put(int bucket, Map<String, Long> ids) {
        pending.put(bucket, new HashMap<>(ids));
    }

    @Override
    public void remove(int bucket) {
        pending.put(bucket, null);
    }

    /** Writes what the event changed. */
    public void commit() {
        for (Map.Entry<Integer, Map<String, Long>> write : pending.entrySet()) {
            if (write.getValue() == null) {
                stored.remove(write.getKey());
            } else {
                stored.put(write.getKey(), write.getValue());
            }
        }
        pending.clear();
    }

    /** Forgets what the event changed. */
    public void discard() {
        pending.clear();
    }
}
