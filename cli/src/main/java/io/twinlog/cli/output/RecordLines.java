package io.twinlog.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.schema.twin.Reading;
import java.util.Map;
import java.util.TreeMap;

/** Readable one-line forms of alerts and twins. */
public final class RecordLines {

    private RecordLines() {}

    public static String alert(Alert alert) {
        return String.format(
                "%-24s %-7s %-8s %-12s %-20s %s  (alert %s, caused by %s)",
                alert.getEventTime(),
                alert.getStatus(),
                alert.getSeverity(),
                alert.getDeviceId(),
                alert.getRuleId(),
                alert.getMessage(),
                alert.getAlertId().substring(0, 8),
                alert.getCause().getEventId());
    }

    public static String twin(DeviceTwin twin) {
        StringBuilder readings = new StringBuilder();
        for (Map.Entry<String, Reading> reading : new TreeMap<>(twin.getReadings()).entrySet()) {
            readings.append(reading.getKey())
                    .append('=')
                    .append(reading.getValue().getValue())
                    .append(' ');
        }
        return String.format(
                "%-12s %-14s %-7s %-9s fw %-7s %s| last seen %s | applied %d, duplicates %d, late %d, rejected %d",
                twin.getDeviceId(),
                twin.getStatus(),
                twin.getOnline() ? "online" : "OFFLINE",
                twin.getModel() == null ? "-" : twin.getModel(),
                twin.getFirmwareVersion() == null ? "-" : twin.getFirmwareVersion(),
                readings,
                twin.getLastSeen(),
                twin.getCounters().getApplied(),
                twin.getCounters().getDuplicates(),
                twin.getCounters().getLate(),
                twin.getCounters().getRejected());
    }

    /** The same line from a twin as the read side's API writes it (JSON). */
    public static String twin(JsonNode twin) {
        StringBuilder readings = new StringBuilder();
        twin.path("readings")
                .fields()
                .forEachRemaining(
                        reading ->
                                readings.append(reading.getKey())
                                        .append('=')
                                        .append(reading.getValue().path("value").asText())
                                        .append(' '));
        JsonNode counters = twin.path("counters");
        return String.format(
                "%-12s %-14s %-7s %-9s fw %-7s %s| last seen %s | applied %d, duplicates %d, late %d, rejected %d",
                twin.path("deviceId").asText(),
                twin.path("status").asText(),
                twin.path("online").asBoolean() ? "online" : "OFFLINE",
                twin.path("model").isNull() ? "-" : twin.path("model").asText("-"),
                twin.path("firmwareVersion").isNull()
                        ? "-"
                        : twin.path("firmwareVersion").asText("-"),
                readings,
                twin.path("lastSeen").asText(),
                counters.path("applied").asLong(),
                counters.path("duplicates").asLong(),
                counters.path("late").asLong(),
                counters.path("rejected").asLong());
    }
}
