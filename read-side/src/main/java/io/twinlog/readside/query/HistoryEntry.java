package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.twin.EventKind;
import java.time.Instant;
import java.util.List;

/**
 * One record of a device's log and what the fold made of it.
 *
 * @param recordTime the broker's timestamp of the record
 * @param eventId null for a record that never became an event (a dead letter)
 * @param kind the event's kind, or null for a dead letter
 * @param eventTime the device's time of the event, or null for a dead letter
 * @param outcome what the record became
 * @param detail the dead-letter reason and message, or the rejection's reason; else null
 * @param payload the event's payload (an Avro record), or null for a dead letter
 * @param changes the twin's fields this event changed, readable ("temperature: 21.5 -> 22.0")
 * @param lastSeen the device's clock after this record (the greatest applied event time), or null
 *     while the device is unknown
 */
public record HistoryEntry(
        Position position,
        Instant recordTime,
        String eventId,
        EventKind kind,
        Instant eventTime,
        RecordOutcome outcome,
        String detail,
        Object payload,
        List<TwinEvent> derivedEvents,
        List<Alert> alerts,
        List<String> changes,
        Instant lastSeen) {}
