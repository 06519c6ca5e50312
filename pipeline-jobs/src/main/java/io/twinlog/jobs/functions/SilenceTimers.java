package io.twinlog.jobs.functions;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.DeviceFold;

import java.util.Objects;

import org.apache.flink.streaming.api.TimerService;

/**
 * One event-time timer per device, at its silence deadline: the live fold and the rebuild keep it
 * the same way, so a rebuilt savepoint holds the timers the live job would have.
 */
public final class SilenceTimers {

    private SilenceTimers() {}

    /** Moves the device's timer to its current deadline (or removes it) and records it in the state. */
    public static void reschedule(DeviceFold fold, DeviceState state, TimerService timers) {
        Long deadline = fold.silenceDeadline(state);
        Long registered = state.getSilenceTimer();
        if (Objects.equals(deadline, registered)) {
            return;
        }
        if (registered != null) {
            timers.deleteEventTimeTimer(registered);
        }
        if (deadline != null) {
            timers.registerEventTimeTimer(deadline);
        }
        state.setSilenceTimer(deadline);
    }
}
