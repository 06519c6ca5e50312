package io.twinlog.spec;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.schema.alert.Severity;
import java.util.List;

/**
 * A threshold rule as docs/FOLD.md describes it, as plain values: the specification reads the rules
 * through their accessors and decides everything else itself.
 *
 * @param above an ABOVE ({@code high}) rule; otherwise BELOW ({@code low})
 */
record SpecRule(
        String id,
        String metric,
        boolean above,
        double threshold,
        double deadband,
        long holdMillis,
        Severity severity) {

    static List<SpecRule> of(AlertRules rules) {
        return rules.all().stream()
                .map(
                        r ->
                                new SpecRule(
                                        r.id(),
                                        r.metric(),
                                        r.direction() == ThresholdRule.Direction.ABOVE,
                                        r.threshold(),
                                        r.deadband(),
                                        r.holdFor().toMillis(),
                                        r.severity()))
                .toList();
    }

    /** "Raises when the latest reading is strictly above high" (or strictly below low). */
    boolean breaching(double value) {
        return above ? value > threshold : value < threshold;
    }

    /** "Clears when it is strictly below high - deadband" (or strictly above low + deadband). */
    boolean clearing(double value) {
        return above ? value < threshold - deadband : value > threshold + deadband;
    }

    double clearBound() {
        return above ? threshold - deadband : threshold + deadband;
    }
}
