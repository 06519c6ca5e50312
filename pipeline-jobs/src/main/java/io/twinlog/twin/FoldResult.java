package io.twinlog.twin;

import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.state.DeviceState;
import java.util.List;

/**
 * What folding one event produced.
 *
 * @param state the device's state afterwards; null only when the event left a never-seen device
 *     unknown (an observation for it, or its first event rejected)
 * @param twinChanged whether the twin must be published again
 * @param derivedEvents for the derived-event topic, in order
 * @param alerts for the alert topic, in order
 */
public record FoldResult(
        Outcome outcome,
        DeviceState state,
        boolean twinChanged,
        List<TwinEvent> derivedEvents,
        List<Alert> alerts) {

    static FoldResult unchanged(Outcome outcome, DeviceState state) {
        return new FoldResult(outcome, state, false, List.of(), List.of());
    }
}
