package io.twinlog.ingest;

import io.twinlog.config.Durations;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.event.TelemetryReported;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * What a decoded event must satisfy before the fold sees it: ids, a plausible event time, finite
 * readings, the {@link EventLimits}, and the record key. The bounds on event time are measured
 * against the record's own Kafka timestamp, never the wall clock, so a replay years later admits
 * exactly what the live run admitted.
 */
public final class EventContract implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Events before this are from devices whose clock was never set. */
    public static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    /**
     * How far an event time may be ahead of its record's timestamp. Small on purpose: an admitted
     * event moves the device's lateness horizon and its latest readings forward by at most this
     * much, so a device clock running ahead cannot lock the device's honest events out
     * (docs/FOLD.md).
     */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    private final long maxFutureSkewMillis;
    private final EventLimits limits;
    private final RefusedMarkers refusedMarkers;

    public EventContract(Duration maxFutureSkew) {
        this(maxFutureSkew, EventLimits.defaults());
    }

    public EventContract(Duration maxFutureSkew, EventLimits limits) {
        this(maxFutureSkew, limits, RefusedMarkers.NONE);
    }

    /**
     * @param refusedMarkers rules markers of the log the operator refuses (the one part of the
     *     contract about markers rather than events)
     */
    public EventContract(
            Duration maxFutureSkew, EventLimits limits, RefusedMarkers refusedMarkers) {
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException(
                    "max future skew must not be negative: " + maxFutureSkew);
        }
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
        this.limits = limits;
        this.refusedMarkers = refusedMarkers;
    }

    public RefusedMarkers refusedMarkers() {
        return refusedMarkers;
    }

    /** A breach of the contract, or null when the event honours it. */
    public Violation check(DeviceEvent event, byte[] key, long recordTimestamp) {
        if (event.getEventId().isBlank()) {
            return new Violation(DeadLetterReason.CONTRACT_VIOLATION, "eventId is empty");
        }
        if (event.getDeviceId().isBlank()) {
            return new Violation(DeadLetterReason.CONTRACT_VIOLATION, "deviceId is empty");
        }
        String breach = limits.breach(event);
        if (breach != null) {
            return new Violation(DeadLetterReason.LIMIT_EXCEEDED, breach);
        }
        Instant time = event.getEventTime();
        if (time.isBefore(EARLIEST_EVENT_TIME)) {
            return new Violation(
                    DeadLetterReason.CONTRACT_VIOLATION,
                    "eventTime "
                            + time
                            + " is before "
                            + EARLIEST_EVENT_TIME
                            + " (device clock not set?)");
        }
        if (recordTimestamp >= 0 && time.toEpochMilli() - recordTimestamp > maxFutureSkewMillis) {
            return new Violation(
                    DeadLetterReason.EVENT_TIME_AHEAD,
                    "eventTime "
                            + time
                            + " is more than "
                            + Durations.format(Duration.ofMillis(maxFutureSkewMillis))
                            + " ahead of the record's timestamp "
                            + Instant.ofEpochMilli(recordTimestamp)
                            + " (max.future.skew)");
        }
        if (event.getPayload() instanceof TelemetryReported telemetry) {
            for (Map.Entry<String, Double> reading : telemetry.getReadings().entrySet()) {
                if (reading.getKey().isBlank()) {
                    return new Violation(
                            DeadLetterReason.CONTRACT_VIOLATION,
                            "a reading has an empty metric name");
                }
                if (!Double.isFinite(reading.getValue())) {
                    return new Violation(
                            DeadLetterReason.CONTRACT_VIOLATION,
                            "reading " + reading.getKey() + " is " + reading.getValue());
                }
            }
        }
        if (!Arrays.equals(key, event.getDeviceId().getBytes(StandardCharsets.UTF_8))) {
            return new Violation(
                    DeadLetterReason.KEY_MISMATCH,
                    "record key '"
                            + EventLimits.abbreviate(new String(key, StandardCharsets.UTF_8))
                            + "' ("
                            + key.length
                            + " bytes) is not the event's deviceId '"
                            + event.getDeviceId()
                            + "'");
        }
        return null;
    }

    public record Violation(DeadLetterReason reason, String message) {}
}
