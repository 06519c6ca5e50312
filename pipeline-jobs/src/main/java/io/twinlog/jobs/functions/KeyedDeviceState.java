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
import io.twinlog.twin.FoldResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * The fold's keyed state of the current device, for the live fold and the rebuild alike: loads the
 * device's state and dedup memory, lets {@link DeviceFold} apply an event, stores what changed and
 * keeps the silence timer. A device restored from a state written before 0.4.0 has its dedup ids
 * moved into the current layout first.
 */
public final class KeyedDeviceState {

    private final RuntimeContext context;
    private final ValueState<DeviceState> states;
    private final MapState<Integer, SeenIdBucket> buckets;
    private final BucketedSeenEventIds.Buckets bucketAccess;
    private MapState<String, Long> olderLayout;

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
            throw new FlinkRuntimeException("cannot read the device state", e);
        }
    }

    public void update(DeviceState state) {
        try {
            states.update(state);
        } catch (Exception e) {
            throw new FlinkRuntimeException("cannot write the device state", e);
        }
    }

    /** Folds one event of the current device and stores the result. */
    public FoldResult fold(
            DeviceFold fold,
            DeviceEvent event,
            LogPosition position,
            RuleVersions.Stamp stamp,
            RuleCatalog catalog,
            TimerService timers) {
        DeviceState state = value();
        BucketedSeenEventIds seen = BucketedSeenEventIds.of(state, bucketAccess);
        if (BucketedSeenEventIds.holdsOlderLayout(state)) {
            moveOlderLayout(seen);
            state.setSeenIds(seen.memory());
        }
        FoldResult result = fold.apply(state, seen, event, position, stamp, catalog);
        DeviceState after = result.state() != null ? result.state() : state;
        if (after != null) {
            after.setSeenIds(seen.memory());
            SilenceTimers.reschedule(fold, after, timers);
            update(after);
        }
        return result;
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

    private void moveOlderLayout(BucketedSeenEventIds seen) {
        seen.adopt(olderLayoutIds());
        olderLayout.clear();
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
            throw new FlinkRuntimeException("cannot read the dedup memory of 0.3.0", e);
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
                throw new FlinkRuntimeException("cannot read the dedup memory", e);
            }
        }

        @Override
        public void put(int bucket, Map<String, Long> ids) {
            try {
                state.put(bucket, new SeenIdBucket(new HashMap<>(ids)));
            } catch (Exception e) {
                throw new FlinkRuntimeException("cannot write the dedup memory", e);
            }
        }

        @Override
        public void remove(int bucket) {
            try {
                state.remove(bucket);
            } catch (Exception e) {
                throw new FlinkRuntimeException("cannot write the dedup memory", e);
            }
        }
    }
}
