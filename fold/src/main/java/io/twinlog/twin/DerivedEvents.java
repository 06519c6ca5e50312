package io.twinlog.twin;

import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.derived.CameOnline;
import io.twinlog.schema.derived.Decommissioned;
import io.twinlog.schema.derived.EventRejected;
import io.twinlog.schema.derived.FirmwareChanged;
import io.twinlog.schema.derived.Registered;
import io.twinlog.schema.derived.RejectionReason;
import io.twinlog.schema.derived.TwinEvent;
import io.twinlog.schema.derived.WentOffline;
import java.time.Instant;

/** Builds the records of the derived-event topic; ids come from {@link DeterministicIds}. */
public final class DerivedEvents {

    private DerivedEvents() {}

    public static TwinEvent registered(
            String deviceId, long eventTime, EventRef cause, String model, String firmware) {
        return of(deviceId, "registered", eventTime, cause, new Registered(model, firmware));
    }

    public static TwinEvent firmwareChanged(
            String deviceId, long eventTime, EventRef cause, String previous, String version) {
        return of(
                deviceId,
                "firmware-changed",
                eventTime,
                cause,
                new FirmwareChanged(previous, version));
    }

    /**
     * Caused by the last event before the silence, so both ways of detecting it give the same
     * record.
     */
    public static TwinEvent wentOffline(
            String deviceId,
            long offlineSince,
            EventRef lastEvent,
            long lastSeen,
            long timeoutMillis) {
        return of(
                deviceId,
                "went-offline",
                offlineSince,
                lastEvent,
                new WentOffline(Instant.ofEpochMilli(lastSeen), timeoutMillis));
    }

    public static TwinEvent cameOnline(
            String deviceId, long eventTime, EventRef cause, long offlineSince) {
        return of(
                deviceId,
                "came-online",
                eventTime,
                cause,
                new CameOnline(Instant.ofEpochMilli(offlineSince)));
    }

    public static TwinEvent decommissioned(
            String deviceId, long eventTime, EventRef cause, String reason) {
        return of(deviceId, "decommissioned", eventTime, cause, new Decommissioned(reason));
    }

    public static TwinEvent rejected(
            String deviceId,
            long eventTime,
            EventRef cause,
            RejectionReason reason,
            String detail) {
        return of(deviceId, "event-rejected", eventTime, cause, new EventRejected(reason, detail));
    }

    private static TwinEvent of(
            String deviceId, String kind, long eventTime, EventRef cause, Object payload) {
        return TwinEvent.newBuilder()
                .setEventId(DeterministicIds.derivedEvent(deviceId, kind, cause.getEventId()))
                .setDeviceId(deviceId)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setCause(cause)
                .setPayload(payload)
                .build();
    }
}
