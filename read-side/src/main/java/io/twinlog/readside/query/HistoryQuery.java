package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of a device's history: the entries whose time is within [from, to] (the event time, or the
 * record's timestamp for a dead letter), after a cursor (the position of the last entry of the
 * previous page), at most {@code limit}.
 */
public record HistoryQuery(Instant from, Instant to, Position after, int limit) {

    public static final int MAX_LIMIT = 1_000;

    public HistoryQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
        }
    }

    public Page<HistoryEntry> apply(List<HistoryEntry> entries) {
        List<HistoryEntry> page = new ArrayList<>();
        for (HistoryEntry entry : entries) {
            if (after != null && entry.position().atOrBefore(after)) {
                continue;
            }
            if (!inRange(entry)) {
                continue;
            }
            if (page.size() == limit) {
                return new Page<>(page, page.get(limit - 1).position().toString());
            }
            page.add(entry);
        }
        return new Page<>(page, null);
    }

    /** The number of entries within the time range, whatever the cursor. */
    public int total(List<HistoryEntry> entries) {
        return (int) entries.stream().filter(this::inRange).count();
    }

    /** Whether the entry's time (its event time, or its record's timestamp) is in [from, to]. */
    public boolean inRange(HistoryEntry entry) {
        Instant time = entry.eventTime() != null ? entry.eventTime() : entry.recordTime();
        return (from == null || !time.isBefore(from)) && (to == null || !time.isAfter(to));
    }
}
