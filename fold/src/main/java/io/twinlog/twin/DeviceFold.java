package io.twinlog.twin;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.RuleCatalog;
import io.twinlog.alerts.RuleVersions;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.alerts.VersionedRules;
import io.twinlog.ingest.Admission;
import io.twinlog.ingest.DeadLetterReason;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.derived.RejectionReason;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.SilenceObserved;
import io.twinlog.schema.event.TelemetryReported;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.RuleState;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import io.twinlog.schema.twin.TwinCounters;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The twin fold: how one event of the log changes one device. A pure function of the device's
 * state, its dedup memory and the event (no clock, no randomness, no Flink), so the twin, the
 * derived events and the alerts of a device depend only on that device's events in log order.
 *
 * <p>Order of decisions for an event: duplicate (dropped, counted), late (forwarded, counted),
 * refused by the lifecycle or by the bound on metrics per twin (EventRejected), otherwise applied.
 * The rules are in docs/FOLD.md. {@code apply} updates the given state and dedup memory in place.
 */
public final class DeviceFold implements Serializable {

    private static final long serialVersionUID = 1L;

    private final FoldSettings settings;
    private final AlertRules rules;

    /** Version 0 alone, for {@link #apply(DeviceState, SeenEventIds, DeviceEvent, LogPosition)}. */
    private transient RuleCatalog initialOnly;

    /**
     * @param rules version 0 of the alert rules: the job's rules file, in force until the log
     *     activates another version (docs/RULES.md)
     */
    public DeviceFold(FoldSettings settings, AlertRules rules) {
        this.settings = settings;
        this.rules = rules;
    }

    /** Version 0 of the rules and nothing else: for folds over a log without rules markers. */
    public RuleCatalog newCatalog() {
        return new RuleCatalog(rules);
    }

    /** Version 0 of the rules: the rules file the job was started with. */
    public AlertRules rules() {
        return rules;
    }

    /**
     * Folds one event of the log.
     *
     * @param state the device's state, or null if the device has no state yet
     * @param position where the event stands in the log
     */
    public FoldResult apply(
            DeviceState state, SeenEventIds seen, DeviceEvent event, LogPosition position) {
        if (initialOnly == null) {
            initialOnly = newCatalog();
        }
        return apply(state, seen, event, position, RuleVersions.Stamp.INITIAL, initialOnly);
    }

    /**
     * Folds one event of the log, evaluated with the rules version it was stamped with in log
     * order. A device never goes back to an older version: a stamp older than the device's version
     * keeps the device's.
     *
     * @param catalog holds the stamp's version and the device's current one
     */
    public FoldResult apply(
            DeviceState state,
            SeenEventIds seen,
            DeviceEvent event,
            LogPosition position,
            RuleVersions.Stamp stamp,
            RuleCatalog catalog) {
        FoldResult result = fold(state, seen, event, position, stamp, catalog);
        ActiveAlerts.refresh(result.state());
        return result;
    }

    private FoldResult fold(
            DeviceState state,
            SeenEventIds seen,
            DeviceEvent event,
            LogPosition position,
            RuleVersions.Stamp stamp,
            RuleCatalog catalog) {
        if (state != null && position.getPartition() != partitionOf(state)) {
            return FoldResult.deadLetter(
                    Outcome.PARTITION_MISMATCH, state, partitionMismatch(state, position));
        }
        EventRef cause = new EventRef(event.getEventId(), position);
        EventKind kind = EventKind.of(event.getPayload());
        if (kind == EventKind.SILENCE_OBSERVATION) {
            return observeSilence(state, (SilenceObserved) event.getPayload(), catalog);
        }
        long time = event.getEventTime().toEpochMilli();
        boolean known = state != null;
        if (!known) {
            state = newDevice(event.getDeviceId(), time, cause);
        }
        DeviceTwin twin = state.getTwin();
        boolean frozen = twin.getStatus() == DeviceStatus.DECOMMISSIONED;
        long lastSeen = twin.getLastSeen().toEpochMilli();
        SeenIdsPolicy seenIds = new SeenIdsPolicy(settings);
        Long seenAt = known ? seen.timeOf(event.getEventId()) : null;

        if (known && seenIds.isDuplicate(seenAt, lastSeen)) {
            return count(Outcome.DUPLICATE, state, frozen);
        }
        if (known && time < lastSeen - settings.allowedLateness().toMillis()) {
            return count(Outcome.LATE, state, frozen);
        }
        Changes changes = new Changes(event.getDeviceId(), state, catalog);
        Lifecycle.Transition transition = Lifecycle.transition(twin.getStatus(), kind);
        if (transition.rejected()) {
            return reject(
                    changes,
                    time,
                    cause,
                    transition.rejection(),
                    "a "
                            + kind.name().toLowerCase().replace('_', ' ')
                            + " for a device that is "
                            + twin.getStatus().name().toLowerCase(),
                    frozen);
        }
        if (kind == EventKind.TELEMETRY) {
            int added = newMetrics(twin, (TelemetryReported) event.getPayload());
            if (twin.getReadings().size() + added > settings.maxMetricsPerDevice()) {
                FoldResult rejected =
                        reject(
                                changes,
                                time,
                                cause,
                                RejectionReason.TOO_MANY_METRICS,
                                "the twin keeps at most "
                                        + settings.maxMetricsPerDevice()
                                        + " metrics"
                                        + " (limits.max-metrics-per-device); it has "
                                        + twin.getReadings().size()
                                        + " and this event adds "
                                        + added,
                                false);
                // An event that is not applied never creates a twin.
                return known
                        ? rejected
                        : new FoldResult(
                                Outcome.REJECTED, null, false, rejected.derivedEvents(), List.of());
            }
        }

        switchRules(changes, stamp, time, cause);
        if (settings.silenceEnabled()
                && state.getOfflineSince() == null
                && time - lastSeen > settings.silenceTimeout().toMillis()) {
            goOffline(changes);
        }
        if (state.getOfflineSince() != null) {
            comeOnline(changes, time, cause);
        }
        switch (kind) {
            case REGISTRATION ->
                    register(changes, (DeviceRegistered) event.getPayload(), time, cause);
            case TELEMETRY -> report(changes, (TelemetryReported) event.getPayload(), time, cause);
            case FIRMWARE_UPDATE ->
                    updateFirmware(
                            changes,
                            ((FirmwareUpdated) event.getPayload()).getVersion(),
                            time,
                            cause,
                            true);
            case DECOMMISSIONING ->
                    decommission(changes, (DeviceDecommissioned) event.getPayload(), time, cause);
            default -> throw new IllegalStateException("unexpected " + kind);
        }
        twin.setStatus(transition.next());
        twin.setLastSeen(Instant.ofEpochMilli(Math.max(lastSeen, time)));
        twin.setFirstSeen(Instant.ofEpochMilli(Math.min(twin.getFirstSeen().toEpochMilli(), time)));
        twin.getCounters().setApplied(twin.getCounters().getApplied() + 1);
        twin.setLastEvent(cause);
        if (kind == EventKind.DECOMMISSIONING) {
            seenIds.forgetAll(state, seen);
        } else {
            seenIds.remember(state, seen, event.getEventId(), time, seenAt != null);
        }
        return changes.result(Outcome.APPLIED, true);
    }

    /**
     * The partition of the log the device's records stand in: that of the first record that gave it
     * a state, kept as the position of its last applied event (every applied event is from there).
     * twinlog's own records for the device go there too.
     */
    public static int partitionOf(DeviceState state) {
        return state.getTwin().getLastEvent().getPosition().getPartition();
    }

    private static Admission.Refused partitionMismatch(DeviceState state, LogPosition position) {
        return EventAdmission.refused(
                DeadLetterReason.PARTITION_MISMATCH,
                null,
                "device "
                        + state.getTwin().getDeviceId()
                        + " has its events on partition "
                        + partitionOf(state)
                        + ", this record is on partition "
                        + position.getPartition()
                        + ": all records of a device must be on one partition (a partitioner"
                        + " consistent per key), or they have no order");
    }

    /**
     * When the device counts as silent if it sends nothing more: its last seen time plus the
     * silence timeout; null when there is nothing to watch (silence disabled, offline already,
     * decommissioned).
     */
    public Long silenceDeadline(DeviceState state) {
        if (!settings.silenceEnabled()
                || state == null
                || state.getOfflineSince() != null
                || state.getTwin().getStatus() == DeviceStatus.DECOMMISSIONED) {
            return null;
        }
        return state.getTwin().getLastSeen().toEpochMilli() + settings.silenceTimeout().toMillis();
    }

    /**
     * The observation to append to the log when the silence deadline has passed: twinlog records
     * that the device sent nothing after its last event, and applies that record like any other
     * event when it reads it back. Null if the deadline is not this one (the device spoke in the
     * meantime).
     */
    public DeviceEvent silenceObservation(DeviceState state, long deadline) {
        Long current = silenceDeadline(state);
        if (current == null || current != deadline) {
            return null;
        }
        String deviceId = state.getTwin().getDeviceId();
        String lastEventId = state.getTwin().getLastEvent().getEventId();
        return DeviceEvent.newBuilder()
                .setEventId(DeterministicIds.silenceObservation(deviceId, lastEventId))
                .setDeviceId(deviceId)
                .setEventTime(Instant.ofEpochMilli(deadline))
                .setPayload(new SilenceObserved(lastEventId))
                .build();
    }

    private FoldResult observeSilence(
            DeviceState state, SilenceObserved observation, RuleCatalog catalog) {
        boolean holds =
                state != null
                        && silenceDeadline(state) != null
                        && state.getTwin()
                                .getLastEvent()
                                .getEventId()
                                .equals(observation.getLastEventId());
        if (!holds) {
            return FoldResult.unchanged(Outcome.OBSERVATION_OUTDATED, state);
        }
        Changes changes = new Changes(state.getTwin().getDeviceId(), state, catalog);
        goOffline(changes);
        return changes.result(Outcome.SILENCE_OBSERVED, true);
    }

    private void goOffline(Changes changes) {
        DeviceTwin twin = changes.state.getTwin();
        long lastSeen = twin.getLastSeen().toEpochMilli();
        long offlineSince = lastSeen + settings.silenceTimeout().toMillis();
        changes.state.setOfflineSince(Instant.ofEpochMilli(offlineSince));
        twin.setOnline(false);
        changes.derived.add(
                DerivedEvents.wentOffline(
                        changes.deviceId,
                        offlineSince,
                        twin.getLastEvent(),
                        lastSeen,
                        settings.silenceTimeout().toMillis()));
        Alert raised =
                AlertRecords.silenceRaised(
                        changes.deviceId,
                        twin.getLastEvent(),
                        offlineSince,
                        settings.silenceTimeout());
        changes.state
                .getRules()
                .put(
                        AlertRules.SILENCE_RULE_ID,
                        new RuleState(
                                null, raised.getAlertId(), Instant.ofEpochMilli(offlineSince)));
        changes.alerts.add(raised);
    }

    private void comeOnline(Changes changes, long time, EventRef cause) {
        long offlineSince = changes.state.getOfflineSince().toEpochMilli();
        changes.state.setOfflineSince(null);
        changes.state.getTwin().setOnline(true);
        changes.derived.add(DerivedEvents.cameOnline(changes.deviceId, time, cause, offlineSince));
        RuleState silence = changes.state.getRules().remove(AlertRules.SILENCE_RULE_ID);
        if (silence != null && silence.getActiveAlertId() != null) {
            changes.alerts.add(
                    AlertRecords.silenceCleared(
                            changes.deviceId,
                            silence.getActiveAlertId(),
                            silence.getRaisedAt().toEpochMilli(),
                            time,
                            cause));
        }
    }

    private void register(
            Changes changes, DeviceRegistered registration, long time, EventRef cause) {
        DeviceTwin twin = changes.state.getTwin();
        twin.setModel(registration.getModel());
        twin.setTags(new HashMap<>(registration.getTags()));
        twin.setRegisteredAt(Instant.ofEpochMilli(time));
        changes.derived.add(
                DerivedEvents.registered(
                        changes.deviceId,
                        time,
                        cause,
                        registration.getModel(),
                        registration.getFirmwareVersion()));
        updateFirmware(changes, registration.getFirmwareVersion(), time, cause, false);
    }

    private void updateFirmware(
            Changes changes, String version, long time, EventRef cause, boolean announce) {
        DeviceTwin twin = changes.state.getTwin();
        Instant current = twin.getFirmwareUpdatedAt();
        if (current != null
                && !isNewer(
                        time,
                        cause.getEventId(),
                        current.toEpochMilli(),
                        changes.state.getFirmwareEventId())) {
            return;
        }
        String previous = twin.getFirmwareVersion();
        twin.setFirmwareVersion(version);
        twin.setFirmwareUpdatedAt(Instant.ofEpochMilli(time));
        changes.state.setFirmwareEventId(cause.getEventId());
        if (announce && !version.equals(previous)) {
            changes.derived.add(
                    DerivedEvents.firmwareChanged(
                            changes.deviceId, time, cause, previous, version));
        }
    }

    private void report(Changes changes, TelemetryReported telemetry, long time, EventRef cause) {
        Map<String, Reading> latest = changes.state.getTwin().getReadings();
        Map<String, Double> readings = telemetry.getReadings();
        // Sorted, so that alerts of one event come out in the same order in every run.
        String[] metrics = readings.keySet().toArray(new String[0]);
        Arrays.sort(metrics);
        for (String metric : metrics) {
            double value = readings.get(metric);
            Reading current = latest.get(metric);
            if (current != null
                    && !isNewer(
                            time,
                            cause.getEventId(),
                            current.getEventTime().toEpochMilli(),
                            current.getEventId())) {
                continue;
            }
            latest.put(metric, new Reading(value, Instant.ofEpochMilli(time), cause.getEventId()));
            double rate =
                    current == null
                            ? Double.NaN
                            : ThresholdRule.ratePerMinute(
                                    current.getValue(),
                                    current.getEventTime().toEpochMilli(),
                                    value,
                                    time);
            for (ThresholdRule rule : changes.rules.rules().forMetric(metric)) {
                if (rule.measure() == ThresholdRule.Measure.VALUE) {
                    evaluate(changes, rule, value, time, cause);
                } else if (!Double.isNaN(rate)) {
                    evaluate(changes, rule, rate, time, cause);
                }
            }
        }
    }

    private void evaluate(
            Changes changes, ThresholdRule rule, double value, long time, EventRef cause) {
        Map<String, RuleState> states = changes.state.getRules();
        if (!states.containsKey(rule.id()) && !rule.breaches(value)) {
            return; // no episode, nothing pending, no breach: the common case, nothing to keep
        }
        RuleState state = states.computeIfAbsent(rule.id(), id -> new RuleState(null, null, null));
        switch (rule.evaluate(state, value, time)) {
            case RAISE -> {
                Alert raised = AlertRecords.raised(changes.deviceId, rule, value, time, cause);
                state.setPendingSince(null);
                state.setActiveAlertId(raised.getAlertId());
                state.setRaisedAt(Instant.ofEpochMilli(time));
                changes.alerts.add(raised);
            }
            case CLEAR -> {
                changes.alerts.add(
                        AlertRecords.cleared(
                                changes.deviceId,
                                rule,
                                state.getActiveAlertId(),
                                state.getRaisedAt().toEpochMilli(),
                                value,
                                time,
                                cause));
                // The episode is over: the rule's state is dropped below (nothing is pending while
                // it is open).
                state.setActiveAlertId(null);
            }
            default -> {
                // pending or nothing to do
            }
        }
        if (state.getActiveAlertId() == null && state.getPendingSince() == null) {
            states.remove(rule.id());
        }
    }

    /**
     * Moves the device to the version its event was stamped with, if newer than the device's
     * (docs/RULES.md): an open episode or pending condition of a rule the new version removed or
     * defines otherwise ends here, a RAISED alert with a CLEARED record giving the reason; the
     * rules the versions define alike keep their episodes.
     */
    private static void switchRules(
            Changes changes, RuleVersions.Stamp stamp, long time, EventRef cause) {
        VersionedRules previous = changes.rules;
        if (stamp.version() <= previous.version()) {
            return;
        }
        VersionedRules next = changes.catalog.get(stamp.fingerprint());
        Map<String, RuleState> states = changes.state.getRules();
        for (Map.Entry<String, RuleState> entry : new TreeMap<>(states).entrySet()) {
            String ruleId = entry.getKey();
            if (ruleId.equals(AlertRules.SILENCE_RULE_ID)) {
                continue;
            }
            ThresholdRule before = previous.rules().byId(ruleId);
            ThresholdRule after = next.rules().byId(ruleId);
            String reason;
            if (after == null) {
                reason = AlertRecords.RULE_REMOVED;
            } else if (!after.equals(before)) {
                reason = AlertRecords.RULE_CHANGED;
            } else {
                continue;
            }
            RuleState state = entry.getValue();
            if (state.getActiveAlertId() != null) {
                changes.alerts.add(
                        AlertRecords.endedByNewRules(
                                changes.deviceId,
                                ruleId,
                                before != null ? before.severity() : after.severity(),
                                state.getActiveAlertId(),
                                state.getRaisedAt().toEpochMilli(),
                                time,
                                cause,
                                reason,
                                next.version()));
            }
            states.remove(ruleId);
        }
        changes.rules = next;
        changes.state.setRulesFingerprint(next.fingerprint());
        changes.state.getTwin().setRulesVersion(next.version());
    }

    private void decommission(
            Changes changes, DeviceDecommissioned decommissioning, long time, EventRef cause) {
        DeviceTwin twin = changes.state.getTwin();
        twin.setDecommissionedAt(Instant.ofEpochMilli(time));
        twin.setDecommissionReason(decommissioning.getReason());
        changes.derived.add(
                DerivedEvents.decommissioned(
                        changes.deviceId, time, cause, decommissioning.getReason()));
        for (Map.Entry<String, RuleState> entry :
                new TreeMap<>(changes.state.getRules()).entrySet()) {
            RuleState state = entry.getValue();
            if (state.getActiveAlertId() != null) {
                ThresholdRule rule = changes.rules.rules().byId(entry.getKey());
                changes.alerts.add(
                        AlertRecords.closedByDecommissioning(
                                changes.deviceId,
                                entry.getKey(),
                                rule == null ? Severity.WARNING : rule.severity(),
                                state.getActiveAlertId(),
                                state.getRaisedAt().toEpochMilli(),
                                time,
                                cause));
            }
        }
        changes.state.getRules().clear();
    }

    /**
     * An EventRejected answer; the twin changes only in its counter, and not at all once frozen.
     */
    private static FoldResult reject(
            Changes changes,
            long time,
            EventRef cause,
            RejectionReason reason,
            String detail,
            boolean frozen) {
        changes.derived.add(DerivedEvents.rejected(changes.deviceId, time, cause, reason, detail));
        if (!frozen) {
            TwinCounters counters = changes.state.getTwin().getCounters();
            counters.setRejected(counters.getRejected() + 1);
        }
        return changes.result(Outcome.REJECTED, !frozen);
    }

    private static int newMetrics(DeviceTwin twin, TelemetryReported telemetry) {
        int added = 0;
        for (String metric : telemetry.getReadings().keySet()) {
            if (!twin.getReadings().containsKey(metric)) {
                added++;
            }
        }
        return added;
    }

    private FoldResult count(Outcome outcome, DeviceState state, boolean frozen) {
        if (frozen) {
            return FoldResult.unchanged(outcome, state);
        }
        TwinCounters counters = state.getTwin().getCounters();
        if (outcome == Outcome.DUPLICATE) {
            counters.setDuplicates(counters.getDuplicates() + 1);
        } else {
            counters.setLate(counters.getLate() + 1);
        }
        return new FoldResult(outcome, state, true, List.of(), List.of());
    }

    /** Greater event time wins; on a tie, the greater event id. */
    private static boolean isNewer(
            long time, String eventId, long currentTime, String currentEventId) {
        return time > currentTime
                || (time == currentTime
                        && currentEventId != null
                        && eventId.compareTo(currentEventId) > 0);
    }

    private static DeviceState newDevice(String deviceId, long time, EventRef cause) {
        DeviceTwin twin =
                DeviceTwin.newBuilder()
                        .setDeviceId(deviceId)
                        .setStatus(DeviceStatus.UNREGISTERED)
                        .setOnline(true)
                        .setTags(new HashMap<>())
                        .setReadings(new HashMap<>())
                        .setFirstSeen(Instant.ofEpochMilli(time))
                        .setLastSeen(Instant.ofEpochMilli(time))
                        .setCounters(new TwinCounters(0L, 0L, 0L, 0L))
                        .setLastEvent(cause)
                        .build();
        return DeviceState.newBuilder().setTwin(twin).setRules(new HashMap<>()).build();
    }

    /** The outputs collected while folding one event, and the rules it is evaluated with. */
    private static final class Changes {
        final String deviceId;
        final DeviceState state;
        final RuleCatalog catalog;
        VersionedRules rules;
        final List<TwinEvent> derived = new ArrayList<>(2);
        final List<Alert> alerts = new ArrayList<>(2);

        Changes(String deviceId, DeviceState state, RuleCatalog catalog) {
            this.deviceId = deviceId;
            this.state = state;
            this.catalog = catalog;
            this.rules = catalog.get(state.getRulesFingerprint());
        }

        FoldResult result(Outcome outcome, boolean twinChanged) {
            if (rules.version() != 0) {
                for (Alert alert : alerts) {
                    alert.setRulesVersion(rules.version());
                }
            }
            return new FoldResult(outcome, state, twinChanged, derived, alerts);
        }
    }
}
