package io.twinlog.twin;

import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.state.DeviceState;

import java.util.ArrayList;
import java.util.List;

/**
 * What folding one event produced.
 *
 * @param state the device's state afterwards; null only when the event left a never-seen device unknown
 *     (an observation for it, or its first event rejected)
 * @param twinChanged whether the twin must be published again
 * @param derivedEvents for the derived-event topic, in order
 * @param alerts for the alert topic, in order
 */
public record FoldResult(Outcome outcome, DeviceState state, boolean twinChanged, List<TwinEvent> derivedEvents,
        List<Alert> alerts) {

    static FoldResult unchanged(Outcome outcome, DeviceState state) {
        return new FoldResult(outcome, state, false, List.of(), List.of());
    }

    /**
     * The records to write for this result, in order: the late event (forwarded unchanged), the twin
     * if it changed, the derived events, the alerts.
     *
     * @param raw the record the event came from
     */
    public List<SinkRecord> records(RawRecord raw) {
        List<SinkRecord> records = new ArrayList<>(1 + derivedEvents.size() + alerts.size());
        if (outcome == Outcome.LATE) {
            records.add(new SinkRecord(new LateEvent(raw, state.getTwin().getLastSeen().toEpochMilli())));
        }
        if (twinChanged) {
            records.add(new SinkRecord(state.getTwin()));
        }
        derivedEvents.forEach(event -> records.add(new SinkRecord(event)));
        alerts.forEach(alert -> records.add(new SinkRecord(alert)));
        return records;
    }
}
