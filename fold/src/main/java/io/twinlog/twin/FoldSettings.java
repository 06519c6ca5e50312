package io.twinlog.twin;

import io.twinlog.config.Durations;
import java.io.Serializable;
import java.time.Duration;

/**
 * The knobs of the fold. All are measured in event time against the device's own clock (its
 * greatest applied event time), never against the wall clock, so replays decide exactly as the live
 * run did.
 *
 * @param allowedLateness events older than the device's last seen time minus this are late
 * @param dedupWindow how long an applied event id is remembered; at least the allowed lateness, so
 *     a re-sent event is either recognised or late, never applied twice
 * @param maxSeenIdsPerDevice hard bound on remembered ids per device; beyond it the oldest are
 *     forgotten
 * @param silenceTimeout a device that sends nothing for this long is offline; zero disables it
 * @param maxMetricsPerDevice distinct metrics a twin keeps; telemetry that would add more is
 *     rejected
 */
public record FoldSettings(
        Duration allowedLateness,
        Duration dedupWindow,
        int maxSeenIdsPerDevice,
        Duration silenceTimeout,
        int maxMetricsPerDevice)
        implements Serializable {

    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofHours(1);
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(1);
    public static final int DEFAULT_MAX_SEEN_IDS_PER_DEVICE = 10_000;
    public static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_METRICS_PER_DEVICE = 256;

    public FoldSettings {
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException(
                    "--allowed.lateness must not be negative: "
                            + Durations.format(allowedLateness));
        }
        if (dedupWindow.compareTo(allowedLateness) < 0) {
            throw new IllegalArgumentException(
                    "--dedup.window ("
                            + Durations.format(dedupWindow)
                            + ") must be at least --allowed.lateness ("
                            + Durations.format(allowedLateness)
                            + "): otherwise a re-sent event between the two would be applied twice");
        }
        if (maxSeenIdsPerDevice < 1) {
            throw new IllegalArgumentException(
                    "--dedup.max-ids-per-device must be positive: " + maxSeenIdsPerDevice);
        }
        if (silenceTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "--silence.timeout must not be negative: " + Durations.format(silenceTimeout));
        }
        if (maxMetricsPerDevice < 1) {
            throw new IllegalArgumentException(
                    "--limits.max-metrics-per-device must be positive: " + maxMetricsPerDevice);
        }
    }

    /** With the default bound on metrics per device. */
    public FoldSettings(
            Duration allowedLateness,
            Duration dedupWindow,
            int maxSeenIdsPerDevice,
            Duration silenceTimeout) {
        this(
                allowedLateness,
                dedupWindow,
                maxSeenIdsPerDevice,
                silenceTimeout,
                DEFAULT_MAX_METRICS_PER_DEVICE);
    }

    public static FoldSettings defaults() {
        return new FoldSettings(
                DEFAULT_ALLOWED_LATENESS,
                DEFAULT_DEDUP_WINDOW,
                DEFAULT_MAX_SEEN_IDS_PER_DEVICE,
                DEFAULT_SILENCE_TIMEOUT,
                DEFAULT_MAX_METRICS_PER_DEVICE);
    }

    public boolean silenceEnabled() {
        return !silenceTimeout.isZero();
    }
}
