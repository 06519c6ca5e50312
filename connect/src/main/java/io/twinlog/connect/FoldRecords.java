package io.twinlog.connect;

import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.Outcome;
import java.util.ArrayList;
import java.util.List;

/** The records the job writes for one folded event. */
public final class FoldRecords {

    private FoldRecords() {}

    /**
     * The dead letter of an event that was not folded; otherwise in order: the late event (the
     * original record, forwarded unchanged), the twin if it is published again, the derived events,
     * the alerts.
     *
     * @param raw the record the event came from
     */
    public static List<SinkRecord> of(FoldResult result, RawRecord raw) {
        List<SinkRecord> records =
                new ArrayList<>(1 + result.derivedEvents().size() + result.alerts().size());
        if (result.deadLetter() != null) {
            records.add(
                    new SinkRecord(
                            new DeadLetter(
                                    raw,
                                    result.deadLetter().reason().name(),
                                    result.deadLetter().errorClass(),
                                    result.deadLetter().message())));
            return records;
        }
        if (result.outcome() == Outcome.LATE) {
            records.add(
                    new SinkRecord(
                            new LateEvent(
                                    raw, result.state().getTwin().getLastSeen().toEpochMilli())));
        }
        if (result.twinChanged()) {
            records.add(new SinkRecord(result.state().getTwin()));
        }
        result.derivedEvents().forEach(event -> records.add(new SinkRecord(event)));
        result.alerts().forEach(alert -> records.add(new SinkRecord(alert)));
        return records;
    }
}
