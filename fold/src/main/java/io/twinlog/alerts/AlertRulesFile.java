package io.twinlog.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinlog.config.Durations;
import io.twinlog.schema.alert.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads alert rules from a JSON file:
 *
 * <pre>{@code
 * {"rules": [
 *   {"id": "temperature-high", "metric": "temperature", "high": 80, "deadband": 2, "holdFor": "30s", "severity": "CRITICAL"},
 *   {"id": "battery-low", "metric": "battery", "low": 15, "deadband": 5}
 * ]}
 * }</pre>
 *
 * Each rule has exactly one of {@code high} and {@code low} (the reading above or below), {@code
 * risesFaster} and {@code fallsFaster} (the metric changing faster than this much per minute of
 * event time, up or down: {@code {"id": "overheating", "metric": "temperature", "risesFaster":
 * 2}}); {@code deadband} defaults to 0, {@code holdFor} to 0 (raise on the first reading), {@code
 * severity} to WARNING. Unknown fields are errors, so a typo does not silently disable a rule.
 */
public final class AlertRulesFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS =
            Set.of(
                    "id",
                    "metric",
                    "high",
                    "low",
                    "risesFaster",
                    "fallsFaster",
                    "deadband",
                    "holdFor",
                    "severity",
                    "description");

    /** The fields that say what a rule compares: exactly one per rule. */
    private static final List<String> KINDS = List.of("high", "low", "risesFaster", "fallsFaster");

    private AlertRulesFile() {}

    public static AlertRules read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rules file " + file + ": " + e.getMessage(), e);
        }
    }

    public static AlertRules parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        JsonNode rules = root == null ? null : root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new IllegalArgumentException("expected an object with a \"rules\" array");
        }
        List<ThresholdRule> parsed = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            try {
                parsed.add(rule(rules.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule #" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new AlertRules(parsed);
    }

    /**
     * The rules in this file's format, canonical: fields in one order, every field written, so that
     * two rule sets that behave the same are the same text (the text is recorded with the job's
     * state).
     */
    public static String toJson(AlertRules rules) {
        return write(rules, false);
    }

    /**
     * The rules as a rules version is published (docs/RULES.md): the canonical text of {@link
     * #toJson} with each rule's description, so that the log keeps what the author wrote.
     */
    public static String toPublishedJson(AlertRules rules) {
        return write(rules, true);
    }

    private static String write(AlertRules rules, boolean descriptions) {
        var root = JSON.createObjectNode();
        var array = root.putArray("rules");
        for (ThresholdRule rule : rules.all()) {
            var node = array.addObject();
            node.put("id", rule.id());
            node.put("metric", rule.metric());
            boolean above = rule.direction() == ThresholdRule.Direction.ABOVE;
            if (rule.measure() == ThresholdRule.Measure.VALUE) {
                node.put(above ? "high" : "low", rule.threshold());
            } else {
                node.put(above ? "risesFaster" : "fallsFaster", Math.abs(rule.threshold()));
            }
            node.put("deadband", rule.deadband());
            node.put("holdFor", Durations.format(rule.holdFor()));
            node.put("severity", rule.severity().name());
            if (descriptions && rule.description() != null) {
                node.put("description", rule.description());
            }
        }
        return root.toString();
    }

    private static ThresholdRule rule(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a rule must be an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown field '" + name + "' (known: " + FIELDS + ")");
            }
        }
        List<String> kinds = KINDS.stream().filter(node::has).toList();
        if (kinds.size() != 1) {
            throw new IllegalArgumentException(
                    "give exactly one of \"high\", \"low\", \"risesFaster\" and \"fallsFaster\"");
        }
        String kind = kinds.get(0);
        boolean rate = kind.endsWith("Faster");
        boolean above = kind.equals("high") || kind.equals("risesFaster");
        double bound = number(node, kind);
        double deadband = node.has("deadband") ? number(node, "deadband") : 0.0;
        if (rate && !(bound > 0)) {
            throw new IllegalArgumentException("\"" + kind + "\" is a rate per minute above 0");
        }
        if (rate && deadband >= bound) {
            // a rising alert would clear only while the metric falls (or the mirror image)
            throw new IllegalArgumentException(
                    "\"deadband\" ("
                            + deadband
                            + ") must be below \""
                            + kind
                            + "\" ("
                            + bound
                            + "), or the alert clears only once the metric turns the other way");
        }
        ThresholdRule rule =
                new ThresholdRule(
                        text(node, "id"),
                        text(node, "metric"),
                        above ? ThresholdRule.Direction.ABOVE : ThresholdRule.Direction.BELOW,
                        rate && !above ? -bound : bound,
                        deadband,
                        node.has("holdFor")
                                ? Durations.parse(text(node, "holdFor"))
                                : Duration.ZERO,
                        node.has("severity") ? severity(text(node, "severity")) : Severity.WARNING,
                        rate ? ThresholdRule.Measure.RATE_PER_MINUTE : ThresholdRule.Measure.VALUE);
        return node.has("description") ? rule.withDescription(text(node, "description")) : rule;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a number");
        }
        return value.asDouble();
    }

    private static Severity severity(String name) {
        try {
            return Severity.valueOf(name.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "severity must be one of INFO, WARNING, CRITICAL, not " + name);
        }
    }
}
