package io.twinlog.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.ThresholdRule.Direction;
import io.twinlog.alerts.ThresholdRule.Step;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.state.RuleState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThresholdRuleTest {

    private static final ThresholdRule HIGH =
            new ThresholdRule(
                    "t-high",
                    "temperature",
                    Direction.ABOVE,
                    80,
                    5,
                    Duration.ZERO,
                    Severity.CRITICAL);
    private static final ThresholdRule LOW =
            new ThresholdRule(
                    "b-low", "battery", Direction.BELOW, 15, 5, Duration.ZERO, Severity.WARNING);
    private static final ThresholdRule HOLD =
            new ThresholdRule(
                    "t-hold",
                    "temperature",
                    Direction.ABOVE,
                    80,
                    5,
                    Duration.ofSeconds(30),
                    Severity.WARNING);

    @Test
    void aboveRaisesStrictlyAboveHighAndClearsStrictlyBelowHighMinusDeadband() {
        assertThat(HIGH.breaches(80.0)).isFalse();
        assertThat(HIGH.breaches(80.0001)).isTrue();
        assertThat(HIGH.clears(75.0)).as("on the clear bound").isFalse();
        assertThat(HIGH.clears(74.9999)).isTrue();
        assertThat(HIGH.clearBound()).isEqualTo(75.0);
    }

    @Test
    void belowIsTheMirror() {
        assertThat(LOW.breaches(15.0)).isFalse();
        assertThat(LOW.breaches(14.9)).isTrue();
        assertThat(LOW.clears(20.0)).isFalse();
        assertThat(LOW.clears(20.1)).isTrue();
        assertThat(LOW.clearBound()).isEqualTo(20.0);
    }

    @Test
    void readingsInsideTheBandDoNotFlap() {
        RuleState state = active(HIGH);
        for (double value : new double[] {79, 81, 75, 80, 76, 90}) {
            assertThat(HIGH.evaluate(state, value, 0)).as("value %s", value).isEqualTo(Step.NONE);
        }
        assertThat(HIGH.evaluate(state, 74, 0)).isEqualTo(Step.CLEAR);
    }

    @Test
    void withoutHoldTheFirstBreachRaises() {
        RuleState state = fresh();
        assertThat(HIGH.evaluate(state, 80, 0)).isEqualTo(Step.NONE);
        assertThat(HIGH.evaluate(state, 81, 1)).isEqualTo(Step.RAISE);
        assertThat(LOW.evaluate(fresh(), 10, 0)).isEqualTo(Step.RAISE);
    }

    @Test
    void holdForRaisesOnceTheConditionHeldThatLongInEventTime() {
        RuleState state = fresh();
        assertThat(HOLD.evaluate(state, 85, 1_000)).isEqualTo(Step.PENDING);
        assertThat(state.getPendingSince().toEpochMilli()).isEqualTo(1_000);
        assertThat(HOLD.evaluate(state, 86, 30_999)).isEqualTo(Step.PENDING);
        assertThat(HOLD.evaluate(state, 84, 31_000))
                .as("exactly the hold duration")
                .isEqualTo(Step.RAISE);
    }

    @Test
    void aReadingThatDoesNotBreachRestartsTheHold() {
        RuleState state = fresh();
        HOLD.evaluate(state, 85, 0);
        assertThat(HOLD.evaluate(state, 79, 10_000))
                .as("inside the band still breaks the hold")
                .isEqualTo(Step.NONE);
        assertThat(state.getPendingSince()).isNull();
        assertThat(HOLD.evaluate(state, 85, 20_000)).isEqualTo(Step.PENDING);
        assertThat(HOLD.evaluate(state, 85, 45_000)).isEqualTo(Step.PENDING);
        assertThat(HOLD.evaluate(state, 85, 50_000)).isEqualTo(Step.RAISE);
    }

    private static RuleState fresh() {
        return new RuleState(null, null, null);
    }

    private static RuleState active(ThresholdRule rule) {
        return new RuleState(null, "alert-1", java.time.Instant.EPOCH);
    }
}
