package io.twinlog.twin;

import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.TelemetryReported;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named instants and event factories for tests of the fold and of the job. */
public final class DeviceEvents {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private DeviceEvents() {}

    public static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    public static Instant seconds(long s) {
        return T0.plusSeconds(s);
    }

    public static DeviceEvent registered(
            String eventId, String device, Instant time, String model, String firmware) {
        return event(
                eventId,
                device,
                time,
                new DeviceRegistered(model, firmware, Map.of("site", "test")));
    }

    public static DeviceEvent telemetry(
            String eventId, String device, Instant time, Object... metricValuePairs) {
        Map<String, Double> readings = new LinkedHashMap<>();
        for (int i = 0; i < metricValuePairs.length; i += 2) {
            readings.put(
                    (String) metricValuePairs[i], ((Number) metricValuePairs[i + 1]).doubleValue());
        }
        return event(eventId, device, time, new TelemetryReported(readings));
    }

    public static DeviceEvent firmware(
            String eventId, String device, Instant time, String version) {
        return event(eventId, device, time, new FirmwareUpdated(version));
    }

    public static DeviceEvent decommissioned(
            String eventId, String device, Instant time, String reason) {
        return event(eventId, device, time, new DeviceDecommissioned(reason));
    }

    public static DeviceEvent event(String eventId, String device, Instant time, Object payload) {
        return DeviceEvent.newBuilder()
                .setEventId(eventId)
                .setDeviceId(device)
                .setEventTime(time)
                .setPayload(payload)
                .build();
    }

    public static LogPosition position(long offset) {
        return new LogPosition("device-events", 0, offset);
    }
}
