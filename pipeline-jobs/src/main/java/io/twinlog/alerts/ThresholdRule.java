package io.twinlog.alerts;

import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.state.RuleState;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A per-metric threshold with hysteresis. An ABOVE rule raises when the metric's latest reading is
 * above {@code threshold} (for at least {@code holdFor} of event time, if set) and clears once it
 * falls below {@code threshold - deadband}; a BELOW rule is the mirror image. Readings between the
 * two bounds change nothing, so a value hovering around the threshold does not flap.
 */
public final class ThresholdRule implements Serializable {

    private static final long serialVersionUID = 1L;

    public enum Direction {
        ABOVE,
        BELOW
    }

    /** What one reading did to the rule's episode. */
    public enum Step {
        NONE,
        PENDING,
        RAISE,
        CLEAR
    }

    private final String id;
    private final String metric;
    private final Direction direction;
    private final double threshold;
    private final double deadband;
    private final long holdForMillis;
    private final Severity severity;

    public ThresholdRule(
            String id,
            String metric,
            Direction direction,
            double threshold,
            double deadband,
            Duration holdFor,
            Severity severity) {
        if (id == null || id.isBlank() || metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("a rule needs an id and a metric");
        }
        if (!Double.isFinite(threshold) || !Double.isFinite(deadband) || deadband < 0) {
            throw new IllegalArgumentException(
                    "rule " + id + ": threshold and deadband must be finite, deadband >= 0");
        }
        if (holdFor.isNegative()) {
            throw new IllegalArgumentException("rule " + id + ": holdFor must not be negative");
        }
        this.id = id;
        this.metric = metric;
        this.direction = Objects.requireNonNull(direction);
        this.threshold = threshold;
        this.deadband = deadband;
        this.holdForMillis = holdFor.toMillis();
        this.severity = Objects.requireNonNull(severity);
    }

    /**
     * Feeds the metric's new latest reading to the rule, updating its state. Readings reach a rule
     * in non-decreasing event time, because only a reading that becomes the metric's latest is fed.
     */
    public Step evaluate(RuleState state, double value, long eventTime) {
        if (state.getActiveAlertId() != null) {
            return clears(value) ? Step.CLEAR : Step.NONE;
        }
        if (!breaches(value)) {
            state.setPendingSince(null);
            return Step.NONE;
        }
        if (state.getPendingSince() == null) {
            state.setPendingSince(java.time.Instant.ofEpochMilli(eventTime));
        }
        return eventTime - state.getPendingSince().toEpochMilli() >= holdForMillis
                ? Step.RAISE
                : Step.PENDING;
    }

    public boolean breaches(double value) {
        return direction == Direction.ABOVE ? value > threshold : value < threshold;
    }

    public boolean clears(double value) {
        return direction == Direction.ABOVE ? value < clearBound() : value > clearBound();
    }

    /** The bound a reading must cross to clear an active alert. */
    public double clearBound() {
        return direction == Direction.ABOVE ? threshold - deadband : threshold + deadband;
    }

    public String id() {
        return id;
    }

    public String metric() {
        return metric;
    }

    public Direction direction() {
        return direction;
    }

    public double threshold() {
        return threshold;
    }

    public double deadband() {
        return deadband;
    }

    public Duration holdFor() {
        return Duration.ofMillis(holdForMillis);
    }

    public Severity severity() {
        return severity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThresholdRule r
                && id.equals(r.id)
                && metric.equals(r.metric)
                && direction == r.direction
                && threshold == r.threshold
                && deadband == r.deadband
                && holdForMillis == r.holdForMillis
                && severity == r.severity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, metric, direction, threshold, deadband, holdForMillis, severity);
    }

    @Override
    public String toString() {
        return id
                + ": "
                + metric
                + (direction == Direction.ABOVE ? " > " : " < ")
                + threshold
                + " (clear "
                + (direction == Direction.ABOVE ? "< " : "> ")
                + clearBound()
                + (holdForMillis > 0 ? ", hold " + holdFor() : "")
                + ", "
                + severity
                + ")";
    }
}
