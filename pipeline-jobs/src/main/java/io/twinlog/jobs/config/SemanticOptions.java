package io.twinlog.jobs.config;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.config.Param;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

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
    public static final List<Param<?>> PARAMS =
            List.of(
                    DeviceTwinJobOptions.ALLOWED_LATENESS,
                    DeviceTwinJobOptions.DEDUP_WINDOW,
                    DeviceTwinJobOptions.DEDUP_MAX_IDS,
                    DeviceTwinJobOptions.SILENCE_TIMEOUT,
                    DeviceTwinJobOptions.MAX_FUTURE_SKEW,
                    DeviceTwinJobOptions.MAX_ID_LENGTH,
                    DeviceTwinJobOptions.MAX_NAME_LENGTH,
                    DeviceTwinJobOptions.MAX_TEXT_LENGTH,
                    DeviceTwinJobOptions.MAX_METRICS_PER_EVENT,
                    DeviceTwinJobOptions.MAX_TAGS,
                    DeviceTwinJobOptions.MAX_METRICS_PER_DEVICE,
                    DeviceTwinJobOptions.RULES_REFUSED_MARKERS);

    public SemanticOptions {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    static SemanticOptions of(Map<String, String> effective, AlertRules rules) {
        Map<String, String> values = new TreeMap<>();
        for (Param<?> param : PARAMS) {
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
                                                        ? DeviceTwinJobOptions.RULES_JSON.key()
                                                        : key),
                                        value)));
        return args;
    }
}
