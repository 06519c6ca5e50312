package io.twinlog.jobs.functions;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.DeviceFold;
import org.apache.flink.streaming.api.TimerService;

/**
 * One event-time timer per device for its silence deadline, moved lazily: an event that pushes the
 * deadline later leaves the timer where it is, and a timer that fires before the deadline is set
 * again at the deadline ({@link #rearm}). A device that speaks every few seconds then costs one
 * timer per silence timeout instead of a timer delete and register per event, which took 18% of the
 * TaskManager's CPU (docs/BENCHMARKS.md). The observation is still written when the watermark
 * passes the exact deadline. The live fold and the rebuild keep timers the same way.
 */
public final class SilenceTimers {

    private SilenceTimers() {}

    /**
     * After an event: makes sure a timer fires at or before the device's deadline, or removes it.
     */
    public static void reschedule(DeviceFold fold, DeviceState state, TimerService timers) {
        Long deadline = fold.silenceDeadline(state);
        Long registered = state.getSilenceTimer();
        if (deadline != null && registered != null && registered <= deadline) {
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

    /**
     * After the device's timer fired without the deadline having passed: the timer goes to the
     * deadline.
     */
    public static void rearm(DeviceFold fold, DeviceState state, TimerService timers) {
        state.setSilenceTimer(null);
        reschedule(fold, state, timers);
    }
}
