package io.twinlog.spec;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.twin.Reading;
import java.util.List;

/**
 * A threshold rule as docs/FOLD.md describes it, as plain values: the specification reads the rules
 * through their accessors and decides everything else itself.
 *
 * @param above an ABOVE ({@code high}, {@code risesFaster}) rule; otherwise BELOW
 * @param rate whether the rule looks at how fast the metric changes rather than at its reading
 */
record SpecRule(
        String id,
        String metric,
        boolean above,
        double threshold,
        double deadband,
        long holdMillis,
        Severity severity,
        boolean rate) {

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
                                        r.severity(),
                                        r.measure() == ThresholdRule.Measure.RATE_PER_MINUTE))
                .toList();
    }

    /**
     * What the rule looks at when a reading becomes its metric's latest: the reading, or "how much
     * it changed since the metric's previous latest reading, per minute between the two"; empty
     * when there is no such rate (the metric's first reading, or the same time as the previous).
     */
    java.util.OptionalDouble observed(Reading previous, double value, long time) {
        if (!rate) {
            return java.util.OptionalDouble.of(value);
        }
        if (previous == null) {
            return java.util.OptionalDouble.empty();
        }
        long millis = time - previous.getEventTime().toEpochMilli();
        if (millis <= 0) {
            return java.util.OptionalDouble.empty();
        }
        // docs/FOLD.md's formula, to the bit: (value - previous) * 60000 / milliseconds between
        double rate = (value - previous.getValue()) * 60_000.0 / millis;
        // "a rate that is not a finite number is no rate"
        return Double.isFinite(rate)
                ? java.util.OptionalDouble.of(rate)
                : java.util.OptionalDouble.empty();
    }

    /** How an alert's message names what was observed and the bound it crossed. */
    String describe(double observed) {
        return rate ? metric + " changing " + observed + "/min" : metric + " " + observed;
    }

    String describeBound(double bound) {
        return rate ? bound + "/min" : "" + bound;
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
