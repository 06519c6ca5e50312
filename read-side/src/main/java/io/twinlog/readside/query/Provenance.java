package io.twinlog.readside.query;

import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.twin.Reading;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which events produced a twin: the event that set each reading, the firmware, the status and the
 * online flag, and the last event applied. {@code events} lists each of them once, in log order.
 */
public record Provenance(Map<String, HistoryEntry> fields, List<HistoryEntry> events) {

    static Provenance of(
            DeviceState state,
            Map<String, HistoryEntry> setBy,
            Map<String, HistoryEntry> appliedById) {
        Map<String, HistoryEntry> fields = new LinkedHashMap<>(setBy);
        if (state != null) {
            Map<String, Reading> readings = new TreeMap<>(state.getTwin().getReadings());
            for (Map.Entry<String, Reading> reading : readings.entrySet()) {
                HistoryEntry entry = appliedById.get(reading.getValue().getEventId());
                if (entry != null) {
                    fields.put("readings." + reading.getKey(), entry);
                }
            }
            HistoryEntry last = appliedById.get(state.getTwin().getLastEvent().getEventId());
            if (last != null) {
                fields.put("lastEvent", last);
            }
        }
        Set<HistoryEntry> distinct = new LinkedHashSet<>(fields.values());
        List<HistoryEntry> events = new ArrayList<>(distinct);
        events.sort(Comparator.comparing(HistoryEntry::position));
        return new Provenance(fields, events);
    }
}
