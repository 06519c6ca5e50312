package io.twinlog.readside.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which events produced a twin: the event that set each reading, the firmware, the status and the
 * online flag, and the last event applied. {@code events} lists each of them once, in log order.
 */
public record Provenance(Map<String, HistoryEntry> fields, List<HistoryEntry> events) {

    /** The field's setters, and each of them once in log order. */
    static Provenance of(Map<String, HistoryEntry> fields) {
        List<HistoryEntry> events = new ArrayList<>(new LinkedHashSet<>(fields.values()));
        events.sort(Comparator.comparing(HistoryEntry::position));
        return new Provenance(fields, events);
    }
}
