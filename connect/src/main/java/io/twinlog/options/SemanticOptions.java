package io.twinlog.options;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;

/**
 * The options that decide what the job writes for a given log: lateness, dedup, silence, the event
 * time skew, the limits and the alert rules (as their canonical text, not a file name). Outputs are
 * a function of the log and of these, so they are recorded with the state and a job restoring that
 * state refuses other values unless told to accept the change (docs/UPGRADES.md).
 *
 * @param values option key to its value as the options print it; the rules under {@link #RULES}
 */
public record SemanticOptions(Map<String, String> values) implements Serializable {

    /** The key of the rules: their canonical JSON. */
    public static final String RULES = "rules";

    /** The job options that change outputs, besides the rules. */
    public static final List<ConfigOption<?>> PARAMS =
            List.of(
                    FoldOptions.ALLOWED_LATENESS,
                    FoldOptions.DEDUP_WINDOW,
                    FoldOptions.DEDUP_MAX_IDS,
                    FoldOptions.SILENCE_TIMEOUT,
                    LimitsOptions.MAX_FUTURE_SKEW,
                    LimitsOptions.MAX_ID_LENGTH,
                    LimitsOptions.MAX_NAME_LENGTH,
                    LimitsOptions.MAX_TEXT_LENGTH,
                    LimitsOptions.MAX_METRICS_PER_EVENT,
                    LimitsOptions.MAX_TAGS,
                    LimitsOptions.MAX_METRICS_PER_DEVICE,
                    FoldOptions.RULES_REFUSED_MARKERS);

    public SemanticOptions {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    static SemanticOptions of(Map<String, String> effective, AlertRules rules) {
        Map<String, String> values = new TreeMap<>();
        for (ConfigOption<?> param : PARAMS) {
            values.put(param.key(), effective.get(param.key()));
        }
        values.put(RULES, AlertRulesFile.toJson(rules));
        return new SemanticOptions(values);
    }

    /** One line per option whose value differs: {@code allowed.lateness: 1h -> 30m}. */
    public List<String> changesFrom(SemanticOptions recorded) {
        TreeSet<String> keys = new TreeSet<>(recorded.values.keySet());
        keys.addAll(values.keySet());
        List<String> changes = new ArrayList<>();
        for (String key : keys) {
            String before = recorded.values.get(key);
            String now = values.get(key);
            if (before == null || !before.equals(now)) {
                changes.add(
                        key
                                + ": "
                                + (before == null ? "(not recorded)" : before)
                                + " -> "
                                + (now == null ? "(none)" : now));
            }
        }
        return changes;
    }

    /** The job options that reproduce these values ({@code --key value}, the rules inline). */
    public List<String> asArguments() {
        List<String> args = new ArrayList<>();
        values.forEach(
                (key, value) ->
                        args.addAll(
                                List.of(
                                        "--"
                                                + (key.equals(RULES)
                                                        ? FoldOptions.RULES_JSON.key()
                                                        : key),
                                        value)));
        return args;
    }
}
