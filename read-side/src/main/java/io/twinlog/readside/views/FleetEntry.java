package io.twinlog.readside.views;

import io.twinlog.readside.index.Position;
import io.twinlog.schema.twin.DeviceStatus;
import io.twinlog.schema.twin.DeviceTwin;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the fleet page shows of a device, kept in memory for every device of the twins topic. */
public record FleetEntry(
        String deviceId,
        DeviceStatus status,
        boolean online,
        String model,
        String firmware,
        Map<String, String> tags,
        Instant lastSeen,
        List<String> activeAlerts,
        Position position) {

    static FleetEntry of(DeviceTwin twin, Position position) {
        Map<String, String> tags = new TreeMap<>();
        twin.getTags().forEach((k, v) -> tags.put(k.toString(), v.toString()));
        return new FleetEntry(
                twin.getDeviceId(),
                twin.getStatus(),
                twin.getOnline(),
                twin.getModel(),
                twin.getFirmwareVersion(),
                tags,
                twin.getLastSeen(),
                twin.getActiveAlerts().stream().map(Object::toString).toList(),
                position);
    }

    /** Whether the id, the model or a tag (key or value) contains the text, ignoring case. */
    boolean matches(String text) {
        String needle = text.toLowerCase(java.util.Locale.ROOT);
        if (deviceId.toLowerCase(java.util.Locale.ROOT).contains(needle)
                || (model != null && model.toLowerCase(java.util.Locale.ROOT).contains(needle))) {
            return true;
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if ((tag.getKey() + "=" + tag.getValue())
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
