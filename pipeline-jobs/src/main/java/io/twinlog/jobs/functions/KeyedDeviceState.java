package io.twinlog.jobs.functions;

import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.kernel.DeviceStore;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIdBucket;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.DeviceStateCopy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * The kernel's {@link DeviceStore} on Flink's keyed state, for the live fold and the rebuild alike:
 * the current device's state and dedup buckets, and its silence timer moved with each stored state.
 * A device restored from a state written before 0.4.0 has its dedup ids in the map state of that
 * layout, which the kernel moves into the current one at its next event.
 */
public final class KeyedDeviceState implements DeviceStore {

    private final RuntimeContext context;
    private final DeviceFold fold;
    private final ValueState<DeviceState> states;
    private final MapState<Integer, SeenIdBucket> buckets;
    private final BucketedSeenEventIds.Buckets bucketAccess;
    private MapState<String, Long> olderLayout;
    private Boolean storedObjects;
    private TimerService timers;

    /**
     * For the fold: the state of the layout before 0.4.0 is opened only when a restored device
     * needs it, so that a job that never restored such a state never creates it.
     */
    public KeyedDeviceState(RuntimeContext context, DeviceFold fold) {
        this.context = context;
        this.fold = fold;
        this.states = context.getState(Descriptors.DEVICE_STATE);
        this.buckets = context.getMapState(Descriptors.SEEN_ID_BUCKETS);
        this.bucketAccess = new MapStateBuckets(buckets);
    }

    /**
     * For reading a savepoint, whose devices may hold either layout: the State Processor API lets
     * states be opened only while the reader opens.
     */
    public static KeyedDeviceState forReading(RuntimeContext context) {
        KeyedDeviceState state = new KeyedDeviceState(context, null);
        state.olderLayout = context.getMapState(Descriptors.SEEN_EVENT_IDS_BEFORE_0_4);
        return state;
    }

    /** The current element's timer service: stored states move their silence timer with it. */
    public KeyedDeviceState withTimers(TimerService timers) {
        this.timers = timers;
        return this;
    }

    /** The current device's state as stored (on the heap backend, the stored object itself). */
    public DeviceState value() {
        try {
            return states.value();
        } catch (Exception e) {
            throw new StateAccessException("cannot read the device state", e);
        }
    }

    public void update(DeviceState state) {
        try {
            states.update(state);
        } catch (Exception e) {
            throw new StateAccessException("cannot write the device state", e);
        }
    }

    /**
     * A state the fold may change: read back from its bytes on RocksDB, a copy on the heap backend,
     * which hands out the stored object itself (asked once: two reads of one state give the same
     * object only from the heap).
     */
    @Override
    public DeviceState load() {
        DeviceState stored = value();
        if (stored != null && storedObjects == null) {
            storedObjects = stored == value();
        }
        return stored != null && storedObjects ? DeviceStateCopy.of(stored) : stored;
    }

    @Override
    public BucketedSeenEventIds.Buckets buckets() {
        return bucketAccess;
    }

    @Override
    public void store(DeviceState state) {
        SilenceTimers.reschedule(fold, state, timers);
        update(state);
    }

    @Override
    public List<Map.Entry<String, Long>> olderLayoutIds() {
        if (olderLayout == null) {
            olderLayout = context.getMapState(Descriptors.SEEN_EVENT_IDS_BEFORE_0_4);
        }
        try {
            List<Map.Entry<String, Long>> ids = new ArrayList<>();
            for (Map.Entry<String, Long> id : olderLayout.entries()) {
                ids.add(Map.entry(id.getKey(), id.getValue()));
            }
            return ids;
        } catch (Exception e) {
            throw new StateAccessException("cannot read the dedup memory of 0.3.0", e);
        }
    }

    @Override
    public void dropOlderLayout() {
        olderLayout.clear();
    }

    /**
     * The current device's dedup memory, event id to event time, in whichever layout its state
     * holds it (for reading savepoints).
     */
    public Map<String, Long> seenIds(DeviceState state) {
        Map<String, Long> ids = new TreeMap<>();
        Iterable<Map.Entry<String, Long>> entries =
                BucketedSeenEventIds.holdsOlderLayout(state)
                        ? olderLayoutIds()
                        : BucketedSeenEventIds.of(state, bucketAccess).entries();
        entries.forEach(id -> ids.put(id.getKey(), id.getValue()));
        return ids;
    }

    /** The buckets on a keyed map state of the current device. */
    private record MapStateBuckets(MapState<Integer, SeenIdBucket> state)
            implements BucketedSeenEventIds.Buckets {

        @Override
        public Map<String, Long> get(int bucket) {
            try {
                SeenIdBucket ids = state.get(bucket);
                return ids == null ? new HashMap<>() : new HashMap<>(ids.getIds());
            } catch (Exception e) {
                throw new StateAccessException("cannot read the dedup memory", e);
            }
        }

        @Override
        public void put(int bucket, Map<String, Long> ids) {
            try {
                state.put(bucket, new SeenIdBucket(new HashMap<>(ids)));
            } catch (Exception e) {
                throw new StateAccessException("cannot write the dedup memory", e);
            }
        }

        @Override
        public void remove(int bucket) {
            try {
                state.remove(bucket);
            } catch (Exception e) {
                throw new StateAccessException("cannot write the dedup memory", e);
            }
        }
    }
}
