package io.twinlog.twin;

import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.SilenceObserved;
import io.twinlog.schema.event.TelemetryReported;

/** The kinds of payload in the event log. */
public enum EventKind {
    REGISTRATION,
    TELEMETRY,
    FIRMWARE_UPDATE,
    DECOMMISSIONING,
    SILENCE_OBSERVATION;

    public static EventKind of(Object payload) {
        if (payload instanceof TelemetryReported) {
            return TELEMETRY;
        }
        if (payload instanceof DeviceRegistered) {
            return REGISTRATION;
        }
        if (payload instanceof FirmwareUpdated) {
            return FIRMWARE_UPDATE;
        }
        if (payload instanceof DeviceDecommissioned) {
            return DECOMMISSIONING;
        }
        if (payload instanceof SilenceObserved) {
            return SILENCE_OBSERVATION;
        }
        throw new IllegalArgumentException(
                "unknown payload type " + (payload == null ? "null" : payload.getClass()));
    }
}
