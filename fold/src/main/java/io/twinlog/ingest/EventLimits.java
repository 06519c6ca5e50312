package io.twinlog.ingest;

import io.twinlog.schema.event.DeviceDecommissioned;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.DeviceRegistered;
import io.twinlog.schema.event.FirmwareUpdated;
import io.twinlog.schema.event.SilenceObserved;
import io.twinlog.schema.event.TelemetryReported;
import java.io.Serializable;
import java.util.Map;

/**
 * What one event may carry into a twin: ids, names and texts of bounded length, a bounded number of
 * readings and tags. Together with the fold's bound on distinct metrics per twin, these make every
 * output record small enough for the sinks (docs/LIMITS.md). An event that breaks one is a dead
 * letter ({@link DeadLetterReason#LIMIT_EXCEEDED}) naming the limit and its option. Lengths are in
 * UTF-16 characters, at most three bytes each in UTF-8.
 *
 * @param maxIdLength eventId, deviceId
 * @param maxNameLength metric names, tag keys
 * @param maxTextLength model, firmware version, tag values, decommission reason
 * @param maxMetricsPerEvent readings in one telemetry event
 * @param maxTags tags of one registration
 */
public record EventLimits(
        int maxIdLength, int maxNameLength, int maxTextLength, int maxMetricsPerEvent, int maxTags)
        implements Serializable {

    public static final int DEFAULT_MAX_ID_LENGTH = 256;
    public static final int DEFAULT_MAX_NAME_LENGTH = 128;
    public static final int DEFAULT_MAX_TEXT_LENGTH = 512;
    public static final int DEFAULT_MAX_METRICS_PER_EVENT = 64;
    public static final int DEFAULT_MAX_TAGS = 64;

    public EventLimits {
        for (int limit :
                new int[] {
                    maxIdLength, maxNameLength, maxTextLength, maxMetricsPerEvent, maxTags
                }) {
            if (limit < 1) {
                throw new IllegalArgumentException("limits must be positive: " + this);
            }
        }
    }

    public static EventLimits defaults() {
        return new EventLimits(
                DEFAULT_MAX_ID_LENGTH,
                DEFAULT_MAX_NAME_LENGTH,
                DEFAULT_MAX_TEXT_LENGTH,
                DEFAULT_MAX_METRICS_PER_EVENT,
                DEFAULT_MAX_TAGS);
    }

    /**
     * The first limit the event breaks, described for the dead letter; null when it keeps them all.
     */
    public String breach(DeviceEvent event) {
        String breach = length("eventId", event.getEventId(), maxIdLength, "limits.max-id-length");
        if (breach == null) {
            breach = length("deviceId", event.getDeviceId(), maxIdLength, "limits.max-id-length");
        }
        if (breach != null) {
            return breach;
        }
        Object payload = event.getPayload();
        if (payload instanceof TelemetryReported telemetry) {
            return readings(telemetry.getReadings());
        }
        if (payload instanceof DeviceRegistered registration) {
            return registration(registration);
        }
        if (payload instanceof FirmwareUpdated update) {
            return text("firmware version", update.getVersion());
        }
        if (payload instanceof DeviceDecommissioned decommissioning) {
            return text("decommission reason", decommissioning.getReason());
        }
        // The one kind of payload left: a silence observation.
        return length(
                "lastEventId",
                ((SilenceObserved) payload).getLastEventId(),
                maxIdLength,
                "limits.max-id-length");
    }

    private String readings(Map<String, Double> readings) {
        if (readings.size() > maxMetricsPerEvent) {
            return "the event has "
                    + readings.size()
                    + " readings; the limit is "
                    + maxMetricsPerEvent
                    + " (limits.max-metrics-per-event)";
        }
        for (String metric : readings.keySet()) {
            String breach =
                    length("a metric name", metric, maxNameLength, "limits.max-name-length");
            if (breach != null) {
                return breach;
            }
        }
        return null;
    }

    private String registration(DeviceRegistered registration) {
        String breach = text("model", registration.getModel());
        if (breach == null) {
            breach = text("firmware version", registration.getFirmwareVersion());
        }
        if (breach == null && registration.getTags().size() > maxTags) {
            breach =
                    "the registration has "
                            + registration.getTags().size()
                            + " tags; the limit is "
                            + maxTags
                            + " (limits.max-tags)";
        }
        for (var tag : registration.getTags().entrySet()) {
            if (breach == null) {
                breach =
                        length("a tag name", tag.getKey(), maxNameLength, "limits.max-name-length");
            }
            if (breach == null) {
                breach = text("tag " + abbreviate(tag.getKey()), tag.getValue());
            }
        }
        return breach;
    }

    private String text(String what, String value) {
        return length(what, value, maxTextLength, "limits.max-text-length");
    }

    private static String length(String what, String value, int limit, String option) {
        if (value.length() <= limit) {
            return null;
        }
        return what
                + " has "
                + value.length()
                + " characters ("
                + abbreviate(value)
                + "); the limit is "
                + limit
                + " ("
                + option
                + ")";
    }

    /** The start of a text that may be huge, for a message. */
    public static String abbreviate(String text) {
        int shown = 40;
        return text.length() <= shown ? text : text.substring(0, shown) + "...";
    }
}
