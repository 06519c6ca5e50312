package io.twinlog.spec;

import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.twin.DeviceTwin;

/**
 * Copies of outputs without log positions: for comparing runs over other interleavings of the same
 * events.
 */
final class Positions {

    private Positions() {}

    static DeviceTwin erased(DeviceTwin twin) {
        DeviceTwin copy = DeviceTwin.newBuilder(twin).build();
        copy.setLastEvent(erased(copy.getLastEvent()));
        return copy;
    }

    static TwinEvent erased(TwinEvent event) {
        return TwinEvent.newBuilder(event).setCause(erased(event.getCause())).build();
    }

    static Alert erased(Alert alert) {
        return Alert.newBuilder(alert).setCause(erased(alert.getCause())).build();
    }

    private static EventRef erased(EventRef ref) {
        return new EventRef(
                ref.getEventId(), new LogPosition(ref.getPosition().getTopic(), -1, -1L));
    }
}
