package io.twinlog.twin;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import java.time.Duration;
import java.time.Instant;

/** Builds the records of the alert topic; every id comes from {@link DeterministicIds}. */
public final class AlertRecords {

    private AlertRecords() {}

    public static Alert raised(
            String deviceId, ThresholdRule rule, double value, long eventTime, EventRef cause) {
        return base(
                        DeterministicIds.alert(deviceId, rule.id(), cause.getEventId()),
                        deviceId,
                        rule.id(),
                        AlertStatus.RAISED,
                        rule.severity(),
                        eventTime,
                        eventTime,
                        cause)
                .setMetric(rule.metric())
                .setValue(value)
                .setThreshold(rule.threshold())
                .setMessage(
                        reading(rule, value)
                                + (rule.direction() == ThresholdRule.Direction.ABOVE
                                        ? " above "
                                        : " below ")
                                + bound(rule, rule.threshold())
                                + (rule.holdFor().isZero()
                                        ? ""
                                        : " for " + rule.holdFor().toMillis() + " ms"))
                .build();
    }

    /** {@code temperature 85.9}, or for a rate rule {@code temperature changing 3.0/min}. */
    private static String reading(ThresholdRule rule, double value) {
        return rule.measure() == ThresholdRule.Measure.VALUE
                ? rule.metric() + " " + value
                : rule.metric() + " changing " + value + "/min";
    }

    private static String bound(ThresholdRule rule, double bound) {
        return rule.measure() == ThresholdRule.Measure.VALUE ? "" + bound : bound + "/min";
    }

    public static Alert cleared(
            String deviceId,
            ThresholdRule rule,
            String alertId,
            long raisedAt,
            double value,
            long eventTime,
            EventRef cause) {
        String verb =
                rule.direction() == ThresholdRule.Direction.ABOVE ? " back below " : " back above ";
        return base(
                        alertId,
                        deviceId,
                        rule.id(),
                        AlertStatus.CLEARED,
                        rule.severity(),
                        raisedAt,
                        eventTime,
                        cause)
                .setMetric(rule.metric())
                .setValue(value)
                .setThreshold(rule.clearBound())
                .setMessage(reading(rule, value) + verb + bound(rule, rule.clearBound()))
                .build();
    }

    /**
     * A silence episode is opened by the last event before the silence, whichever way it was
     * detected.
     */
    public static Alert silenceRaised(
            String deviceId, EventRef lastEvent, long raisedAt, Duration timeout) {
        return base(
                        DeterministicIds.alert(
                                deviceId, AlertRules.SILENCE_RULE_ID, lastEvent.getEventId()),
                        deviceId,
                        AlertRules.SILENCE_RULE_ID,
                        AlertStatus.RAISED,
                        Severity.WARNING,
                        raisedAt,
                        raisedAt,
                        lastEvent)
                .setMessage("no event for " + timeout.toMillis() + " ms")
                .build();
    }

    public static Alert silenceCleared(
            String deviceId, String alertId, long raisedAt, long eventTime, EventRef cause) {
        return base(
                        alertId,
                        deviceId,
                        AlertRules.SILENCE_RULE_ID,
                        AlertStatus.CLEARED,
                        Severity.WARNING,
                        raisedAt,
                        eventTime,
                        cause)
                .setMessage("device sent an event again")
                .build();
    }

    /** Closes an episode whose device was decommissioned. */
    public static Alert closedByDecommissioning(
            String deviceId,
            String ruleId,
            Severity severity,
            String alertId,
            long raisedAt,
            long eventTime,
            EventRef cause) {
        return base(
                        alertId,
                        deviceId,
                        ruleId,
                        AlertStatus.CLEARED,
                        severity,
                        raisedAt,
                        eventTime,
                        cause)
                .setMessage("device decommissioned")
                .build();
    }

    /** The reason of a CLEARED record when a new rules version no longer has the rule. */
    public static final String RULE_REMOVED = "RULE_REMOVED";

    /** The reason of a CLEARED record when a new rules version defines the rule otherwise. */
    public static final String RULE_CHANGED = "RULE_CHANGED";

    /** An episode ended because the device's events are now evaluated with other rules. */
    public static Alert endedByNewRules(
            String deviceId,
            String ruleId,
            Severity severity,
            String alertId,
            long raisedAt,
            long eventTime,
            EventRef cause,
            String reason,
            int version) {
        return base(
                        alertId,
                        deviceId,
                        ruleId,
                        AlertStatus.CLEARED,
                        severity,
                        raisedAt,
                        eventTime,
                        cause)
                .setReason(reason)
                .setMessage(
                        (reason.equals(RULE_REMOVED) ? "rule removed" : "rule changed")
                                + " in rules version "
                                + version)
                .build();
    }

    private static Alert.Builder base(
            String alertId,
            String deviceId,
            String ruleId,
            AlertStatus status,
            Severity severity,
            long raisedAt,
            long eventTime,
            EventRef cause) {
        return Alert.newBuilder()
                .setAlertId(alertId)
                .setDeviceId(deviceId)
                .setRuleId(ruleId)
                .setStatus(status)
                .setSeverity(severity)
                .setMetric(null)
                .setValue(null)
                .setThreshold(null)
                .setRaisedAt(Instant.ofEpochMilli(raisedAt))
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setCause(cause)
                .setMessage("");
    }
}
