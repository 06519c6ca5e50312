package io.twinlog.readside.query;

import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The fields of a twin a reader cares about, copied before an event is folded (the fold changes the
 * state in place), to say afterwards what the event changed.
 */
record TwinChanges(
        String status,
        boolean online,
        String firmware,
        String model,
        Map<String, Double> readings) {

    static final TwinChanges NONE = new TwinChanges(null, false, null, null, Map.of());

    static TwinChanges of(DeviceTwin twin) {
        if (twin == null) {
            return NONE;
        }
        Map<String, Double> readings = new TreeMap<>();
        for (Map.Entry<String, Reading> reading : twin.getReadings().entrySet()) {
            readings.put(reading.getKey(), reading.getValue().getValue());
        }
        return new TwinChanges(
                twin.getStatus().name(),
                twin.getOnline(),
                twin.getFirmwareVersion(),
                twin.getModel(),
                readings);
    }

    /** What differs in {@code after}, one readable line per field. */
    List<String> to(TwinChanges after) {
        List<String> changes = new ArrayList<>();
        field(changes, "status", status, after.status);
        if (after.status != null && (status == null || online != after.online)) {
            field(changes, "online", status == null ? null : online, after.online);
        }
        field(changes, "model", model, after.model);
        field(changes, "firmware", firmware, after.firmware);
        for (Map.Entry<String, Double> reading : after.readings.entrySet()) {
            field(changes, reading.getKey(), readings.get(reading.getKey()), reading.getValue());
        }
        return changes;
    }

    private static void field(List<String> changes, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changes.add(name + ": " + (before == null ? "-" : before) + " -> " + after);
        }
    }

    boolean firmwareDiffers(TwinChanges after) {
        return !Objects.equals(firmware, after.firmware);
    }

    boolean statusDiffers(TwinChanges after) {
        return !Objects.equals(status, after.status);
    }

    boolean onlineDiffers(TwinChanges after) {
        return online != after.online || statusDiffers(after);
    }
}
