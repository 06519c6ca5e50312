package io.twinlog.jobs.functions;

import io.twinlog.alerts.RuleCatalog;
import io.twinlog.alerts.RuleVersions;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIdBucket;
import io.twinlog.twin.BucketedSeenEventIds;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldFailure;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.Outcome;
import io.twinlog.twin.PendingBuckets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold's keyed state of the current device, for the live fold and the rebuild alike: loads the
 * device's state and dedup memory, lets {@link DeviceFold} apply an event, stores what changed and
 * keeps the silence timer. A device restored from a state written before 0.4.0 has its dedup ids
 * moved into the current layout first.
 */
public final class KeyedDeviceState {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedDeviceState.class);

    private final RuntimeContext context;
    private final ValueState<DeviceState> states;
    private final MapState<Integer, SeenIdBucket> buckets;
    private final BucketedSeenEventIds.Buckets bucketAccess;
    private MapState<String, Long> olderLayout;
    private Boolean storedObjects;
    private long failedFolds;

    /**
     * For the fold: the state of the layout before 0.4.0 is opened only when a restored device
     * needs it, so that a job that never restored such a state never creates it.
     */
    public KeyedDeviceState(RuntimeContext context) {
        this.context = context;
        this.states = context.getState(Descriptors.DEVICE_STATE);
        this.buckets = context.getMapState(Descriptors.SEEN_ID_BUCKETS);
        this.bucketAccess = new MapStateBuckets(buckets);
    }

    /**
     * For reading a savepoint, whose devices may hold either layout: the State Processor API lets
     * states be opened only while the reader opens.
     */
    public static KeyedDeviceState forReading(RuntimeContext context) {
        KeyedDeviceState state = new KeyedDeviceState(context);
        state.olderLayout = context.getMapState(Descriptors.SEEN_EVENT_IDS_BEFORE_0_4);
        return state;
    }

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
     * Folds one event of the current device and stores the result. If the fold throws, nothing is
     * stored: the device keeps the state it had, and the result is a {@link Outcome#FOLD_FAILED}
     * dead letter (docs/LIMITS.md, "When the fold fails").
     */
    public FoldResult fold(
            DeviceFold fold,
            DeviceEvent event,
            LogPosition position,
            RuleVersions.Stamp stamp,
            RuleCatalog catalog,
            TimerService timers) {
        // Routing stamps an event only with versions it announced first: an unknown one is a bug of
        // the whole job, not of this device, and fails the task.
        catalog.get(stamp.fingerprint());
        DeviceState stored = value();
        DeviceState state = handsOutStoredObjects(stored) ? copy(stored) : stored;
        PendingBuckets pending = new PendingBuckets(bucketAccess);
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(state, pending);
        boolean olderLayoutHeld = BucketedSeenEventIds.holdsOlderLayout(state);
        FoldResult result;
        try {
            if (olderLayoutHeld) {
                seen.adopt(olderLayoutIds());
                state.setSeenIds(seen.memory());
            }
            result = fold.apply(state, seen, event, position, stamp, catalog);
        } catch (StateAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            if (++failedFolds <= 10) {
                LOG.error(
                        "the fold failed on event {} of device {} at {}; it is dead-lettered as"
                                + " FOLD_FAILED",
                        event.getEventId(),
                        event.getDeviceId(),
                        position,
                        e);
            }
            pending.discard();
            return FoldResult.deadLetter(Outcome.FOLD_FAILED, stored, FoldFailure.of(e));
        }
        if (result.deadLetter() != null) {
            return result; // not folded: nothing changed
        }
        pending.commit();
        if (olderLayoutHeld) {
            olderLayout.clear();
        }
        DeviceState after = result.state() != null ? result.state() : state;
        if (after != null) {
            after.setSeenIds(seen.memory());
            SilenceTimers.reschedule(fold, after, timers);
            update(after);
        }
        return result;
    }

    /**
     * Whether the state backend hands out the stored object itself (the heap backend) rather than a
     * copy read back from its bytes (RocksDB): then the fold works on a copy, so that a fold that
     * fails leaves the stored state as it was. Asked once, with the first state read: two reads of
     * one state give the same object only from the heap.
     */
    private boolean handsOutStoredObjects(DeviceState stored) {
        if (stored != null && storedObjects == null) {
            storedObjects = stored == value();
        }
        return stored != null && storedObjects;
    }

    private static DeviceState copy(DeviceState state) {
        return DeviceState.newBuilder(state).build();
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

    private List<Map.Entry<String, Long>> olderLayoutIds() {
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
