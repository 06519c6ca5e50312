package io.twinlog.twin;

import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.testing.StoredStates;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds events of one device through a fold at increasing offsets and keeps what came out. Before
 * each event the state is read back through the job's state serializer, as RocksDB hands it back.
 */
final class FoldRun {

    private static final StoredStates STORED = new StoredStates();

    final DeviceFold fold;
    final InMemorySeenEventIds seen = new InMemorySeenEventIds();
    final List<TwinEvent> derived = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();

    /** The twins published, in order: copies, as the sink writes them at that moment. */
    final List<DeviceTwin> published = new ArrayList<>();

    DeviceState state;
    long nextOffset;

    FoldRun(DeviceFold fold) {
        this.fold = fold;
    }

    FoldResult apply(DeviceEvent event) {
        FoldResult result =
                fold.apply(
                        STORED.reloaded(state), seen, event, DeviceEvents.position(nextOffset++));
        state = result.state();
        derived.addAll(result.derivedEvents());
        alerts.addAll(result.alerts());
        outcomes.add(result.outcome());
        if (result.twinChanged()) {
            published.add(DeviceTwin.newBuilder(result.state().getTwin()).build());
        }
        return result;
    }

    FoldRun applyAll(DeviceEvent... events) {
        for (DeviceEvent event : events) {
            apply(event);
        }
        return this;
    }

    DeviceTwin twin() {
        return state.getTwin();
    }

    DeviceTwin twinCopy() {
        return DeviceTwin.newBuilder(state.getTwin()).build();
    }
}
