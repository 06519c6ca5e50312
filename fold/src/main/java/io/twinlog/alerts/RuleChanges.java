package io.twinlog.alerts;

import io.twinlog.config.Durations;
import java.util.ArrayList;
import java.util.List;

/**
 * What changes from one rule set to another, by rule id: rules added, removed, and rules whose
 * definition changed, field by field, in the rules file's own terms; and the order of the rules
 * both keep, which decides the order of one event's alerts.
 *
 * @param order the ids both keep, in each set's order, when that order differs; else empty
 */
public record RuleChanges(
        List<ThresholdRule> added,
        List<ThresholdRule> removed,
        List<Changed> changed,
        List<List<String>> order) {

    /** A rule kept under its id with another definition. */
    public record Changed(ThresholdRule before, ThresholdRule after, List<String> fields) {}

    public static RuleChanges between(AlertRules before, AlertRules after) {
        List<ThresholdRule> added = new ArrayList<>();
        List<ThresholdRule> removed = new ArrayList<>();
        List<Changed> changed = new ArrayList<>();
        for (ThresholdRule rule : after.all()) {
            ThresholdRule old = before.byId(rule.id());
            if (old == null) {
                added.add(rule);
            } else if (!old.equals(rule)) {
                changed.add(new Changed(old, rule, fields(old, rule)));
            }
        }
        for (ThresholdRule rule : before.all()) {
            if (after.byId(rule.id()) == null) {
                removed.add(rule);
            }
        }
        List<String> keptBefore =
                before.all().stream()
                        .map(ThresholdRule::id)
                        .filter(id -> after.byId(id) != null)
                        .toList();
        List<String> keptAfter =
                after.all().stream()
                        .map(ThresholdRule::id)
                        .filter(id -> before.byId(id) != null)
                        .toList();
        return new RuleChanges(
                List.copyOf(added),
                List.copyOf(removed),
                List.copyOf(changed),
                keptBefore.equals(keptAfter) ? List.of() : List.of(keptBefore, keptAfter));
    }

    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && order.isEmpty();
    }

    /**
     * One line per change: {@code + id: ...}, {@code - id: ...}, {@code ~ id: high 80.0 -> 84.0}.
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        added.forEach(rule -> lines.add("+ " + rule));
        removed.forEach(rule -> lines.add("- " + rule));
        changed.forEach(
                c -> lines.add("~ " + c.after().id() + ": " + String.join(", ", c.fields())));
        if (!order.isEmpty()) {
            lines.add(
                    "~ order (one event's alerts come out in it): "
                            + String.join(", ", order.get(0))
                            + " -> "
                            + String.join(", ", order.get(1)));
        }
        return lines;
    }

    private static List<String> fields(ThresholdRule before, ThresholdRule after) {
        List<String> fields = new ArrayList<>();
        compare(fields, "metric", before.metric(), after.metric());
        String kindBefore = kind(before);
        String kindAfter = kind(after);
        if (!kindBefore.equals(kindAfter)) {
            fields.add(kindBefore + " " + bound(before) + " -> " + kindAfter + " " + bound(after));
        } else {
            compare(fields, kindAfter, bound(before), bound(after));
        }
        compare(fields, "deadband", before.deadband(), after.deadband());
        compare(
                fields,
                "holdFor",
                Durations.format(before.holdFor()),
                Durations.format(after.holdFor()));
        compare(fields, "severity", before.severity(), after.severity());
        return fields;
    }

    /** The rules file's name for what the rule compares. */
    private static String kind(ThresholdRule rule) {
        boolean above = rule.direction() == ThresholdRule.Direction.ABOVE;
        return rule.measure() == ThresholdRule.Measure.VALUE
                ? (above ? "high" : "low")
                : (above ? "risesFaster" : "fallsFaster");
    }

    /** The bound as the rules file writes it (a rate without its sign). */
    private static double bound(ThresholdRule rule) {
        return rule.measure() == ThresholdRule.Measure.VALUE
                ? rule.threshold()
                : Math.abs(rule.threshold());
    }

    private static void compare(List<String> fields, String name, Object before, Object after) {
        if (!before.equals(after)) {
            fields.add(name + " " + before + " -> " + after);
        }
    }
}
