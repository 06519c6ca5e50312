package io.twinlog.options;

import io.twinlog.ingest.EventContract;
import io.twinlog.ingest.EventLimits;
import io.twinlog.twin.FoldSettings;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The bounds of the event contract (docs/LIMITS.md): what a device may send before its event is a
 * dead letter or rejected. Semantic, recorded with the state.
 */
public final class LimitsOptions {

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("max.future.skew")
                    .durationType()
                    .defaultValue(EventContract.DEFAULT_MAX_FUTURE_SKEW)
                    .withDescription(
                            "events further ahead of their record's timestamp are dead letters (<= allowed.lateness)");

    public static final ConfigOption<Integer> MAX_ID_LENGTH =
            ConfigOptions.key("limits.max-id-length")
                    .intType()
                    .defaultValue(EventLimits.DEFAULT_MAX_ID_LENGTH)
                    .withDescription("longest eventId or deviceId, in characters");

    public static final ConfigOption<Integer> MAX_NAME_LENGTH =
            ConfigOptions.key("limits.max-name-length")
                    .intType()
                    .defaultValue(EventLimits.DEFAULT_MAX_NAME_LENGTH)
                    .withDescription("longest metric name or tag name");

    public static final ConfigOption<Integer> MAX_TEXT_LENGTH =
            ConfigOptions.key("limits.max-text-length")
                    .intType()
                    .defaultValue(EventLimits.DEFAULT_MAX_TEXT_LENGTH)
                    .withDescription(
                            "longest model, firmware version, tag value or decommission reason");

    public static final ConfigOption<Integer> MAX_METRICS_PER_EVENT =
            ConfigOptions.key("limits.max-metrics-per-event")
                    .intType()
                    .defaultValue(EventLimits.DEFAULT_MAX_METRICS_PER_EVENT)
                    .withDescription("readings in one telemetry event");

    public static final ConfigOption<Integer> MAX_TAGS =
            ConfigOptions.key("limits.max-tags")
                    .intType()
                    .defaultValue(EventLimits.DEFAULT_MAX_TAGS)
                    .withDescription("tags of one registration");

    public static final ConfigOption<Integer> MAX_METRICS_PER_DEVICE =
            ConfigOptions.key("limits.max-metrics-per-device")
                    .intType()
                    .defaultValue(FoldSettings.DEFAULT_MAX_METRICS_PER_DEVICE)
                    .withDescription(
                            "distinct metrics a twin keeps; telemetry adding more is rejected");

    private LimitsOptions() {}
}
