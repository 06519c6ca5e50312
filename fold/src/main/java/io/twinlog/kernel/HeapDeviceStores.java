package io.twinlog.kernel;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeviceStateCopy;
import java.util.HashMap;
import java.util.Map;

/**
 * Devices' states in memory, for engines that replay the log in one process (state verification,
 * backtests, the read side). A load hands out a copy, as a state backend that serializes would, so
 * a quarantined fold leaves the stored state as the job's RocksDB state stays.
 */
public final class HeapDeviceStores {

    private final Map<String, DeviceState> states = new HashMap<>();
    private final Map<String, Map<Integer, Map<String, Long>>> buckets = new HashMap<>();

    /** The store of one device. */
    public DeviceStore of(String device) {
        return new DeviceStore() {
            @Override
            public DeviceState load() {
                DeviceState state = states.get(device);
                return DeviceStateCopy.of(state);
            }

            @Override
            public BucketedSeenEventIds.Buckets buckets() {
                return new MapBuckets(buckets.computeIfAbsent(device, d -> new HashMap<>()));
            }

            @Override
            public void store(DeviceState state) {
                states.put(device, state);
            }
        };
    }

    /**
     * Puts a device back as a snapshot of it holds it (the read side's snapshots): its state and
     * its spilled dedup buckets, both copied.
     */
    public void restore(String device, DeviceState state, Map<Integer, Map<String, Long>> spilled) {
        if (state != null) {
            states.put(device, DeviceStateCopy.of(state));
        }
        Map<Integer, Map<String, Long>> copy = new HashMap<>();
        spilled.forEach((bucket, ids) -> copy.put(bucket, new HashMap<>(ids)));
        buckets.put(device, copy);
    }

    /** A copy of the device's spilled dedup buckets, by bucket. */
    public Map<Integer, Map<String, Long>> buckets(String device) {
        Map<Integer, Map<String, Long>> copy = new java.util.TreeMap<>();
        buckets.getOrDefault(device, Map.of())
                .forEach((bucket, ids) -> copy.put(bucket, new java.util.TreeMap<>(ids)));
        return copy;
    }

    /** The stored state of a device, or null (not a copy: do not change it). */
    public DeviceState state(String device) {
        return states.get(device);
    }

    public Iterable<String> devices() {
        return states.keySet();
    }

    /** The device's whole dedup memory, id to event time, whichever part of it holds an id. */
    public Map<String, Long> seenIds(String device) {
        Map<String, Long> ids = new java.util.TreeMap<>();
        DeviceState state = states.get(device);
        if (state != null) {
            BucketedSeenEventIds.of(state, of(device).buckets())
                    .entries()
                    .forEach(id -> ids.put(id.getKey(), id.getValue()));
        }
        return ids;
    }

    /** One device's buckets in a map; each bucket handed out as a copy. */
    private record MapBuckets(Map<Integer, Map<String, Long>> buckets)
            implements BucketedSeenEventIds.Buckets {

        @Override
        public Map<String, Long> get(int bucket) {
            return new HashMap<>(buckets.getOrDefault(bucket, Map.of()));
        }

        @Override
        public void put(int bucket, Map<String, Long> ids) {
            buckets.put(bucket, new HashMap<>(ids));
        }

        @Override
        public void remove(int bucket) {
            buckets.remove(bucket);
        }
    }
}
