package io.twinlog.twin;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Rate-of-change rules in the fold, with literal expectations: the rate is the change between the
 * metric's consecutive latest readings per minute of event time, with the threshold rules'
 * episodes, hold and ids.
 */
class RateRuleFoldTest {

    private static final DeviceFold FOLD =
            new DeviceFold(
                    new FoldSettings(
                            Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, Duration.ZERO),
                    AlertRulesFile.parse(
                            """
                            {"rules": [
                              {"id": "heating-fast", "metric": "temperature", "risesFaster": 6, "deadband": 2},
                              {"id": "cooling-fast", "metric": "temperature", "fallsFaster": 6, "deadband": 2,
                               "holdFor": "20s", "severity": "CRITICAL"}
                            ]}"""));

    @Test
    void aMetricRisingFasterThanTheBoundRaisesAndClearsWhenItSlowsBeyondTheDeadband() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                // no rate for the first reading
                                telemetry("e1", "d1", seconds(0), "temperature", 20),
                                // +1 in 30 s: 2.0/min
                                telemetry("e2", "d1", seconds(30), "temperature", 21),
                                // +4 in 30 s: 8.0/min > 6: raised
                                telemetry("e3", "d1", seconds(60), "temperature", 25),
                                // +2.5 in 30 s: 5.0/min, inside the deadband (> 4): still raised
                                telemetry("e4", "d1", seconds(90), "temperature", 27.5),
                                // +1.5 in 30 s: 3.0/min < 4: cleared
                                telemetry("e5", "d1", seconds(120), "temperature", 29));

        assertThat(run.alerts)
                .extracting(Alert::getStatus, Alert::getRuleId, Alert::getValue, Alert::getMessage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                AlertStatus.RAISED,
                                "heating-fast",
                                8.0,
                                "temperature changing 8.0/min above 6.0/min"),
                        org.assertj.core.groups.Tuple.tuple(
                                AlertStatus.CLEARED,
                                "heating-fast",
                                3.0,
                                "temperature changing 3.0/min back below 4.0/min"));
        assertThat(run.alerts.get(0).getAlertId())
                .isEqualTo(DeterministicIds.alert("d1", "heating-fast", "e3"))
                .isEqualTo(run.alerts.get(1).getAlertId());
        assertThat(run.alerts.get(0).getThreshold()).isEqualTo(6.0);
        assertThat(run.alerts.get(1).getThreshold()).isEqualTo(4.0);
    }

    @Test
    void aFallingRuleHoldsForItsDurationOfEventTime() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 80),
                                // -5 in 10 s: -30/min, pending since 10 s
                                telemetry("e2", "d1", seconds(10), "temperature", 75),
                                // -5 in 10 s, 10 s into the breach: still pending
                                telemetry("e3", "d1", seconds(20), "temperature", 70),
                                // -5 in 10 s, 20 s into the breach: raised
                                telemetry("e4", "d1", seconds(30), "temperature", 65));

        assertThat(run.alerts).hasSize(1);
        Alert raised = run.alerts.get(0);
        assertThat(raised.getRuleId()).isEqualTo("cooling-fast");
        assertThat(raised.getValue()).isEqualTo(-30.0);
        assertThat(raised.getThreshold()).isEqualTo(-6.0);
        assertThat(raised.getMessage())
                .isEqualTo("temperature changing -30.0/min below -6.0/min for 20000 ms");
        assertThat(raised.getAlertId())
                .isEqualTo(DeterministicIds.alert("d1", "cooling-fast", "e4"));
    }

    @Test
    void readingsThatDoNotBecomeTheLatestAndEqualTimesGiveNoRate() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(60), "temperature", 20),
                                // older than the latest: not the latest, no rate (would be huge)
                                telemetry("e2", "d1", seconds(59), "temperature", 90),
                                // the same time as the latest, greater id: latest, but no rate
                                telemetry("e3", "d1", seconds(60), "temperature", 95),
                                // +1 in 60 s from 95: 1/min
                                telemetry("e4", "d1", seconds(120), "temperature", 96));

        assertThat(run.alerts).isEmpty();
    }

    @Test
    void aRateBeyondTheRangeOfADoubleIsNoRate() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", -1.5e308),
                                telemetry("e2", "d1", seconds(1), "temperature", 1.5e308));

        assertThat(run.alerts).isEmpty();
    }
}
