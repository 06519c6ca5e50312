package io.twinlog.readside.views;

import io.twinlog.schema.twin.DeviceStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which devices a fleet page lists: a twin status, or those offline or with an open alert. */
public enum FleetFilter {
    UNREGISTERED,
    ACTIVE,
    DECOMMISSIONED,
    /** Active and not online (silent for longer than silence.timeout). */
    OFFLINE,
    /** With at least one open alert episode. */
    ALERTING;

    /**
     * @param text the filter's name, or null for every device
     * @throws IllegalArgumentException if it names no filter
     */
    public static FleetFilter parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "status must be one of "
                            + Arrays.stream(values())
                                    .map(Enum::name)
                                    .collect(Collectors.joining(", "))
                            + ", not '"
                            + text
                            + "'");
        }
    }

    boolean matches(FleetEntry entry) {
        return switch (this) {
            case OFFLINE -> !entry.online() && entry.status() == DeviceStatus.ACTIVE;
            case ALERTING -> !entry.activeAlerts().isEmpty();
            default -> entry.status().name().equals(name());
        };
    }
}
