package io.twinlog.kernel;

import io.twinlog.alerts.RuleVersions;
import io.twinlog.ingest.Admission;
import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;

/**
 * The second step, in each partition's order: which rules version an event falls under
 * (docs/RULES.md). A marker activates its version in its partition from its position on, or is a
 * dead letter if the partition cannot take it; an event is stamped with the newest version of its
 * partition that is effective at its event time. The state is the per-partition versions ({@link
 * #versions}), which an engine checkpoints with its read positions.
 */
public final class LogRouter {

    /** What a routed record is. */
    public sealed interface Routed {}

    /** An event to fold, with the rules version it is evaluated with. */
    public record Stamped(DeviceEvent event, RuleVersions.Stamp stamp) implements Routed {}

    /** A rules version its partition activated: every fold must know it before the events after. */
    public record Activated(int partition, RuleSet ruleSet) implements Routed {}

    public record DeadLetter(Admission.Refused reason) implements Routed {}

    private final RuleVersions versions;

    public LogRouter() {
        this(new RuleVersions());
    }

    /** Over versions restored from a checkpoint. */
    public LogRouter(RuleVersions versions) {
        this.versions = versions;
    }

    public Routed route(LogAdmission.Admitted admitted, LogPosition position) {
        if (admitted instanceof LogAdmission.Event event) {
            return new Stamped(
                    event.event(),
                    versions.stamp(
                            position.getPartition(), event.event().getEventTime().toEpochMilli()));
        }
        if (admitted instanceof LogAdmission.Marker marker) {
            return activate(marker.ruleSet(), position);
        }
        return new DeadLetter(((LogAdmission.Refused) admitted).reason());
    }

    private Routed activate(RuleSet ruleSet, LogPosition position) {
        String refusal = versions.activate(position.getPartition(), ruleSet);
        if (refusal != null) {
            return new DeadLetter(
                    new Admission.Refused(
                            DeadLetterReason.RULES_MARKER_INVALID,
                            RuleVersions.class.getName(),
                            refusal));
        }
        return new Activated(position.getPartition(), ruleSet);
    }

    /** Every partition's versions: what to checkpoint. */
    public RuleVersions versions() {
        return versions;
    }
}
