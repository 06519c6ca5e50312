package io.twinlog.twin;

import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.TwinCounters;
import java.time.Instant;
import java.util.HashMap;

/** Device states for tests of what the state holds beside the twin. */
final class DeviceStates {

    private DeviceStates() {}

    /** A registered device's state with nothing remembered yet. */
    static DeviceState empty() {
        DeviceTwin twin =
                DeviceTwin.newBuilder()
                        .setDeviceId("d-1")
                        .setStatus(DeviceStatus.ACTIVE)
                        .setOnline(true)
                        .setTags(new HashMap<>())
                        .setReadings(new HashMap<>())
                        .setFirstSeen(Instant.EPOCH)
                        .setLastSeen(Instant.EPOCH)
                        .setCounters(new TwinCounters(0L, 0L, 0L, 0L))
                        .setLastEvent(new EventRef("e-0", new LogPosition("device-events", 0, 0L)))
                        .build();
        return DeviceState.newBuilder().setTwin(twin).setRules(new HashMap<>()).build();
    }
}
