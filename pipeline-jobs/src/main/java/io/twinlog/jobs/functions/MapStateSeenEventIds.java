package io.twinlog.jobs.functions;

import io.twinlog.twin.SeenEventIds;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.util.FlinkRuntimeException;

/** The fold's dedup memory on a keyed {@link MapState} (scoped to the current device). */
public final class MapStateSeenEventIds implements SeenEventIds {

    private final MapState<String, Long> state;

    public MapStateSeenEventIds(MapState<String, Long> state) {
        this.state = state;
    }

    @Override
    public Long timeOf(String eventId) {
        try {
            return state.get(eventId);
        } catch (Exception e) {
            throw new FlinkRuntimeException("cannot read the seen-event-ids state", e);
        }
    }

    @Override
    public void remember(String eventId, long eventTime) {
        try {
            state.put(eventId, eventTime);
        } catch (Exception e) {
            throw new FlinkRuntimeException("cannot write the seen-event-ids state", e);
        }
    }

    @Override
    public void forget(String eventId) {
        try {
            state.remove(eventId);
        } catch (Exception e) {
            throw new FlinkRuntimeException("cannot write the seen-event-ids state", e);
        }
    }

    @Override
    public Iterable<Map.Entry<String, Long>> entries() {
        try {
            return state.entries();
        } catch (Exception e) {
            throw new FlinkRuntimeException("cannot read the seen-event-ids state", e);
        }
    }

    @Override
    public void clear() {
        state.clear();
    }
}
