package io.twinlog.jobs.kafka;

import io.twinlog.ingest.Admission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.ingest.RulesMarkerAdmission;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.RulesMarker;
import io.twinlog.schema.internal.SourcedEvent;
import java.io.IOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

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
            return new IngestedRecord(new SourcedEvent(admitted.event(), raw, 0, 0L));
        }
        return deadLetter(raw, (Admission.Refused) result);
    }

    /** A record of the log whose header marks it as a rules marker (docs/RULES.md). */
    public static IngestedRecord admitMarker(
            RawRecord raw, RulesMarkerAdmission.RuleSetDecoder decoder) throws IOException {
        RulesMarkerAdmission.Result result =
                RulesMarkerAdmission.admit(RawRecords.bytes(raw.getValue()), decoder);
        if (result.refused() != null) {
            return deadLetter(raw, result.refused());
        }
        return new IngestedRecord(new RulesMarker(result.ruleSet(), raw));
    }

    /** Whether a record with these headers is a rules marker rather than a device event. */
    public static boolean isMarker(Headers headers) {
        Header header = headers.lastHeader(RulesMarkers.HEADER);
        return header != null && RulesMarkers.isMarker(header.value());
    }

    private static IngestedRecord deadLetter(RawRecord raw, Admission.Refused refused) {
        return new IngestedRecord(
                new DeadLetter(
                        raw, refused.reason().name(), refused.errorClass(), refused.message()));
    }
}
