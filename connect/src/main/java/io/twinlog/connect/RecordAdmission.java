package io.twinlog.connect;

import io.twinlog.ingest.Admission;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.kernel.LogRecord;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.RulesMarker;
import io.twinlog.schema.internal.SourcedEvent;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The kernel's admission ({@link LogAdmission}) as a record travels through the job: the record as
 * the kernel takes it, and what the kernel made of it as the job's operators carry it on (the event
 * with its record, the marker, or the dead letter).
 */
public final class RecordAdmission {

    private RecordAdmission() {}

    /** A record of the log as the kernel takes it. */
    public static LogRecord logRecord(ConsumerRecord<byte[], byte[]> record) {
        return new LogRecord(
                record.key(),
                record.value(),
                record.timestamp(),
                isMarker(record.headers()),
                new io.twinlog.schema.common.LogPosition(
                        record.topic(), record.partition(), record.offset()));
    }

    /** Admits the record as the kernel does. */
    public static IngestedRecord admit(LogAdmission admission, RawRecord raw, boolean marker)
            throws IOException {
        LogAdmission.Admitted admitted =
                admission.admit(
                        new LogRecord(
                                RawRecords.bytes(raw.getKey()),
                                RawRecords.bytes(raw.getValue()),
                                raw.getTimestamp(),
                                marker,
                                raw.getPosition()));
        if (admitted instanceof LogAdmission.Event event) {
            return new IngestedRecord(new SourcedEvent(event.event(), raw, 0, 0L));
        }
        if (admitted instanceof LogAdmission.Marker rules) {
            return new IngestedRecord(new RulesMarker(rules.ruleSet(), raw));
        }
        return new IngestedRecord(deadLetter(raw, ((LogAdmission.Refused) admitted).reason()));
    }

    /** What the kernel's admission decided, back from the record the job carried it in. */
    public static LogAdmission.Admitted admitted(IngestedRecord record) {
        Object value = record.getValue();
        if (value instanceof SourcedEvent event) {
            return new LogAdmission.Event(event.getEvent());
        }
        if (value instanceof RulesMarker marker) {
            return new LogAdmission.Marker(marker.getRuleSet());
        }
        DeadLetter deadLetter = (DeadLetter) value;
        return new LogAdmission.Refused(
                new Admission.Refused(
                        io.twinlog.ingest.DeadLetterReason.valueOf(deadLetter.getReason()),
                        deadLetter.getErrorClass(),
                        deadLetter.getErrorMessage()));
    }

    /** Whether a record with these headers is a rules marker rather than a device event. */
    public static boolean isMarker(Headers headers) {
        Header header = headers.lastHeader(RulesMarkers.HEADER);
        return header != null && RulesMarkers.isMarker(header.value());
    }

    public static DeadLetter deadLetter(RawRecord raw, Admission.Refused refused) {
        return new DeadLetter(
                raw, refused.reason().name(), refused.errorClass(), refused.message());
    }
}
