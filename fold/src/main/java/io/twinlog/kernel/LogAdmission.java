package io.twinlog.kernel;

import io.twinlog.ingest.Admission;
import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.ingest.RefusedMarkers;
import io.twinlog.ingest.RulesMarkerAdmission;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import java.io.IOException;

/**
 * The first step of the kernel, record by record and without state: what a record of the log is. A
 * device event for the fold, a rules version to activate, or a dead letter with its reason. Every
 * engine admits records through this, so a record is the same thing to all of them.
 */
public final class LogAdmission {

    /** What a record is. */
    public sealed interface Admitted {}

    public record Event(DeviceEvent event) implements Admitted {}

    public record Marker(RuleSet ruleSet) implements Admitted {}

    public record Refused(Admission.Refused reason) implements Admitted {}

    private final EventAdmission events;
    private final EventAdmission.ValueDecoder eventDecoder;
    private final RulesMarkerAdmission.RuleSetDecoder ruleSetDecoder;
    private final RefusedMarkers refusedMarkers;

    public LogAdmission(
            EventAdmission events,
            EventAdmission.ValueDecoder eventDecoder,
            RulesMarkerAdmission.RuleSetDecoder ruleSetDecoder) {
        this(events, eventDecoder, ruleSetDecoder, events.contract().refusedMarkers());
    }

    private LogAdmission(
            EventAdmission events,
            EventAdmission.ValueDecoder eventDecoder,
            RulesMarkerAdmission.RuleSetDecoder ruleSetDecoder,
            RefusedMarkers refusedMarkers) {
        this.events = events;
        this.eventDecoder = eventDecoder;
        this.ruleSetDecoder = ruleSetDecoder;
        this.refusedMarkers = refusedMarkers;
    }

    /** An admission for markers alone (tools that read nothing else of the log). */
    public static LogAdmission markersOnly(
            RulesMarkerAdmission.RuleSetDecoder ruleSets, RefusedMarkers refused) {
        return new LogAdmission(
                null,
                value -> {
                    throw new IllegalStateException("not a rules marker");
                },
                ruleSets,
                refused);
    }

    /**
     * @throws io.twinlog.registry.RegistryUnavailableException the registry cannot be asked: retry,
     *     the record is not at fault
     */
    public Admitted admit(LogRecord record) throws IOException {
        if (record.rulesMarker()) {
            if (refusedMarkers.refuses(
                    record.position().getPartition(), record.position().getOffset())) {
                return new Refused(
                        new Admission.Refused(
                                DeadLetterReason.RULES_MARKER_INVALID,
                                RefusedMarkers.class.getName(),
                                "the marker at "
                                        + record.position().getPartition()
                                        + ":"
                                        + record.position().getOffset()
                                        + " is refused by the option rules.refused-markers"));
            }
            RulesMarkerAdmission.Result marker =
                    RulesMarkerAdmission.admit(record.value(), ruleSetDecoder);
            return marker.refused() != null
                    ? new Refused(marker.refused())
                    : new Marker(marker.ruleSet());
        }
        Admission admitted =
                events.admit(record.key(), record.value(), record.timestamp(), eventDecoder);
        return admitted instanceof Admission.Admitted event
                ? new Event(event.event())
                : new Refused((Admission.Refused) admitted);
    }
}
