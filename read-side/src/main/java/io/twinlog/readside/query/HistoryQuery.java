package io.twinlog.readside.query;

import io.twinlog.readside.index.Position;
import java.time.Instant;

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

    /** Whether the query has a time range (the entries outside it are skipped, not counted). */
    public boolean ranged() {
        return from != null || to != null;
    }

    /** Whether the entry's time (its event time, or its record's timestamp) is in [from, to]. */
    public boolean inRange(HistoryEntry entry) {
        Instant time = entry.eventTime() != null ? entry.eventTime() : entry.recordTime();
        return (from == null || !time.isBefore(from)) && (to == null || !time.isAfter(to));
    }
}
