package io.twinlog.options;

import io.twinlog.ingest.RefusedMarkers;
import io.twinlog.twin.FoldSettings;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * How the fold judges events: lateness, dedup, silence and the alert rules. All but the silence
 * observations and accept-change are semantic: recorded with the state (docs/UPGRADES.md).
 */
public final class FoldOptions {

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("allowed.lateness")
                    .durationType()
                    .defaultValue(FoldSettings.DEFAULT_ALLOWED_LATENESS)
                    .withDescription(
                            "events older than the device's last seen time minus this are late");

    public static final ConfigOption<Duration> DEDUP_WINDOW =
            ConfigOptions.key("dedup.window")
                    .durationType()
                    .defaultValue(FoldSettings.DEFAULT_DEDUP_WINDOW)
                    .withDescription(
                            "how long applied event ids are remembered (>= allowed.lateness)");

    public static final ConfigOption<Integer> DEDUP_MAX_IDS =
            ConfigOptions.key("dedup.max-ids-per-device")
                    .intType()
                    .defaultValue(FoldSettings.DEFAULT_MAX_SEEN_IDS_PER_DEVICE)
                    .withDescription("bound on remembered event ids per device");

    public static final ConfigOption<Duration> SILENCE_TIMEOUT =
            ConfigOptions.key("silence.timeout")
                    .durationType()
                    .defaultValue(FoldSettings.DEFAULT_SILENCE_TIMEOUT)
                    .withDescription("a device silent this long goes offline; 0 disables");

    public static final ConfigOption<Boolean> SILENCE_OBSERVATIONS =
            ConfigOptions.key("silence.write-observations")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "append silence observations to the event log (off only for replays)");

    public static final ConfigOption<String> RULES_FILE =
            ConfigOptions.key("rules.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("JSON file of alert rules (none: only silence alerts)");

    public static final ConfigOption<String> RULES_JSON =
            ConfigOptions.key("rules.json")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("the alert rules as JSON text, instead of rules.file");

    public static final ConfigOption<String> RULES_REFUSED_MARKERS =
            ConfigOptions.key("rules.refused-markers")
                    .stringType()
                    .defaultValue(RefusedMarkers.NONE_TEXT)
                    .withDescription(
                            "rules markers to refuse, as partition:offset,...: the way out of a version"
                                    + " nobody meant to publish (docs/RULES.md); change it only with a"
                                    + " rebuild");

    public static final ConfigOption<Boolean> ACCEPT_OPTION_CHANGE =
            ConfigOptions.key("semantics.accept-change")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "restore state recorded with other semantic options (lateness, dedup, silence, skew, limits, rules);"
                                    + " the change is logged and recorded");

    private FoldOptions() {}
}
