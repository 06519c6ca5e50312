package io.twinlog.kernel;

import io.twinlog.ingest.Admission;
import io.twinlog.ingest.EventAdmission;
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

    public LogAdmission(
            EventAdmission events,
            EventAdmission.ValueDecoder eventDecoder,
            RulesMarkerAdmission.RuleSetDecoder ruleSetDecoder) {
        this.events = events;
        this.eventDecoder = eventDecoder;
        this.ruleSetDecoder = ruleSetDecoder;
    }

    /**
     * @throws io.twinlog.registry.RegistryUnavailableException the registry cannot be asked: retry,
     *     the record is not at fault
     */
    public Admitted admit(LogRecord record) throws IOException {
        if (record.rulesMarker()) {
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
