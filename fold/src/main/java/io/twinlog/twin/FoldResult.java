package io.twinlog.twin;

import io.twinlog.ingest.Admission;
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
 * @param deadLetter why the event's record goes to the dead-letter topic instead (a record on
 *     another partition than its device's, a failed fold); null otherwise
 */
public record FoldResult(
        Outcome outcome,
        DeviceState state,
        boolean twinChanged,
        List<TwinEvent> derivedEvents,
        List<Alert> alerts,
        Admission.Refused deadLetter) {

    public FoldResult(
            Outcome outcome,
            DeviceState state,
            boolean twinChanged,
            List<TwinEvent> derivedEvents,
            List<Alert> alerts) {
        this(outcome, state, twinChanged, derivedEvents, alerts, null);
    }

    static FoldResult unchanged(Outcome outcome, DeviceState state) {
        return new FoldResult(outcome, state, false, List.of(), List.of());
    }

    /**
     * The event was not folded and its record is a dead letter; the device's state is the one it
     * had before (the caller must keep nothing the fold may have touched).
     */
    public static FoldResult deadLetter(
            Outcome outcome, DeviceState before, Admission.Refused reason) {
        return new FoldResult(outcome, before, false, List.of(), List.of(), reason);
    }
}
