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
 *
 * <p>What is compared is the reading itself ({@link Measure#VALUE}) or how fast the metric changes
 * ({@link Measure#RATE_PER_MINUTE}): the difference between the new latest reading and the one
 * before it, per minute of event time between the two. Episodes, hold and ids are the same.
 */
public final class ThresholdRule implements Serializable {

    private static final long serialVersionUID = 1L;

    public enum Direction {
        ABOVE,
        BELOW
    }

    /** What a rule compares with its threshold. */
    public enum Measure {
        /** The metric's latest reading. */
        VALUE,
        /**
         * The change from the metric's previous latest reading to the new one, per minute of event
         * time (no rate for the first reading, nor between two readings at the same time).
         */
        RATE_PER_MINUTE
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
    private final Measure measure;
    // What the rule is for, for people; not part of what it does (equals ignores it).
    private String description;

    /** A rule on the metric's value. */
    public ThresholdRule(
            String id,
            String metric,
            Direction direction,
            double threshold,
            double deadband,
            Duration holdFor,
            Severity severity) {
        this(id, metric, direction, threshold, deadband, holdFor, severity, Measure.VALUE);
    }

    public ThresholdRule(
            String id,
            String metric,
            Direction direction,
            double threshold,
            double deadband,
            Duration holdFor,
            Severity severity,
            Measure measure) {
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
        this.measure = Objects.requireNonNull(measure);
    }

    /** The same rule with a description (of its purpose, for people). */
    public ThresholdRule withDescription(String description) {
        ThresholdRule described =
                new ThresholdRule(
                        id,
                        metric,
                        direction,
                        threshold,
                        deadband,
                        Duration.ofMillis(holdForMillis),
                        severity,
                        measure);
        described.description = description;
        return described;
    }

    /** The rules file's description of the rule, or null. */
    public String description() {
        return description;
    }

    /**
     * The rate between two readings of the metric, per minute of event time; NaN when there is none
     * (no earlier reading, both at the same time, or a rate beyond the range of a double: readings
     * are finite, but two far apart can differ by more than the largest double).
     */
    public static double ratePerMinute(
            double previous, long previousTime, double value, long eventTime) {
        if (eventTime <= previousTime) {
            return Double.NaN;
        }
        double rate = (value - previous) * 60_000.0 / (eventTime - previousTime);
        return Double.isFinite(rate) ? rate : Double.NaN;
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

    public Measure measure() {
        return measure;
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
                && severity == r.severity
                && measure == r.measure;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id, metric, direction, threshold, deadband, holdForMillis, severity, measure);
    }

    @Override
    public String toString() {
        return id
                + ": "
                + (measure == Measure.RATE_PER_MINUTE
                        ? "rate of " + metric + " per minute"
                        : metric)
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
