package io.twinlog.alerts;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert rules a job runs with: threshold rules from the rules file, plus the silence rule,
 * which is driven by the silence timeout. Rules of a metric are evaluated in file order.
 */
public final class AlertRules implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The rule id of silence alerts; reserved, not usable in the rules file. */
    public static final String SILENCE_RULE_ID = "device-silent";

    private final List<ThresholdRule> rules;
    private final Map<String, List<ThresholdRule>> byMetric = new LinkedHashMap<>();

    public AlertRules(List<ThresholdRule> rules) {
        this.rules = List.copyOf(rules);
        Set<String> ids = new HashSet<>();
        for (ThresholdRule rule : this.rules) {
            if (rule.id().equals(SILENCE_RULE_ID)) {
                throw new IllegalArgumentException(
                        "rule id '" + SILENCE_RULE_ID + "' is reserved for silence alerts");
            }
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("duplicate rule id '" + rule.id() + "'");
            }
            byMetric.computeIfAbsent(rule.metric(), m -> new ArrayList<>()).add(rule);
        }
        byMetric.values().forEach(AlertRules::refuseContradictions);
    }

    /**
     * An ABOVE rule whose clear bound lies at or below a BELOW rule's threshold on the same metric
     * (or the mirror image) can clear only on a reading that breaches the other rule: its deadband
     * is wider than the range between the two thresholds. Such a pair is a mistake, never an
     * intent.
     */
    private static void refuseContradictions(List<ThresholdRule> rules) {
        for (ThresholdRule rule : rules) {
            for (ThresholdRule other : rules) {
                if (rule.measure() == other.measure()
                        && rule.direction() == ThresholdRule.Direction.ABOVE
                        && other.direction() == ThresholdRule.Direction.BELOW
                        && (rule.clearBound() <= other.threshold()
                                || other.clearBound() >= rule.threshold())) {
                    throw new IllegalArgumentException(
                            "rules '"
                                    + rule.id()
                                    + "' (above "
                                    + rule.threshold()
                                    + ", clears"
                                    + " below "
                                    + rule.clearBound()
                                    + ") and '"
                                    + other.id()
                                    + "' (below "
                                    + other.threshold()
                                    + ", clears above "
                                    + other.clearBound()
                                    + ") on "
                                    + rule.metric()
                                    + ": a deadband is wider"
                                    + " than the range between the thresholds, so one rule clears only on a reading that breaches"
                                    + " the other");
                }
            }
        }
    }

    public static AlertRules none() {
        return new AlertRules(List.of());
    }

    public List<ThresholdRule> all() {
        return rules;
    }

    public List<ThresholdRule> forMetric(String metric) {
        return byMetric.getOrDefault(metric, List.of());
    }

    public ThresholdRule byId(String id) {
        for (ThresholdRule rule : rules) {
            if (rule.id().equals(id)) {
                return rule;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertRules other && rules.equals(other.rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return rules.toString();
    }
}
