package io.twinlog.readside.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Points in time as users write them: ISO-8601 (with or without zone: UTC), a date, or epoch ms.
 */
public final class Instants {

    private Instants() {}

    public static Instant parse(String text) {
        String t = text.trim();
        try {
            if (t.matches("-?\\d{10,}")) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (t.endsWith("Z")) {
                return Instant.parse(t);
            }
            if (t.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(t).toInstant();
            }
            return java.time.LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not a time: write ISO-8601 (2026-11-30T14:00:00Z), a date"
                            + " (2026-11-30) or epoch milliseconds");
        }
    }

    /** True if the text is a log position (partition:offset) rather than a time. */
    public static boolean isPosition(String text) {
        return text.trim().matches("\\d+:\\d+");
    }
}
