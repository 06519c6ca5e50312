package io.twinlog.jobs.kafka;

import io.twinlog.ingest.Admission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SourcedEvent;
import java.io.IOException;

/**
 * Admission of a record as it travels through the job: the event with its record, or the dead
 * letter.
 */
public final class RecordAdmission {

    private RecordAdmission() {}

    public static IngestedRecord admit(
            EventAdmission admission, RawRecord raw, EventAdmission.ValueDecoder decoder)
            throws IOException {
        Admission result =
                admission.admit(
                        RawRecords.bytes(raw.getKey()),
                        RawRecords.bytes(raw.getValue()),
                        raw.getTimestamp(),
                        decoder);
        if (result instanceof Admission.Admitted admitted) {
            return new IngestedRecord(new SourcedEvent(admitted.event(), raw));
        }
        Admission.Refused refused = (Admission.Refused) result;
        return new IngestedRecord(
                new DeadLetter(
                        raw, refused.reason().name(), refused.errorClass(), refused.message()));
    }
}
