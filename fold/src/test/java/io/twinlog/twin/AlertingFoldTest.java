package io.twinlog.twin;

import static io.twinlog.twin.DeviceEvents.decommissioned;
import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.alerts.ThresholdRule.Direction;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.alert.Severity;
import io.twinlog.schema.common.EventRef;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alert rules driven by the fold: which readings reach them and what the alert records say. */
class AlertingFoldTest {

    private static final ThresholdRule HOT =
            new ThresholdRule(
                    "temperature-high",
                    "temperature",
                    Direction.ABOVE,
                    80,
                    5,
                    Duration.ZERO,
                    Severity.CRITICAL);
    private static final ThresholdRule HOT_FOR_A_MINUTE =
            new ThresholdRule(
                    "temperature-hot-1m",
                    "temperature",
                    Direction.ABOVE,
                    80,
                    5,
                    Duration.ofMinutes(1),
                    Severity.WARNING);
    private static final ThresholdRule BATTERY =
            new ThresholdRule(
                    "battery-low",
                    "battery",
                    Direction.BELOW,
                    15,
                    5,
                    Duration.ZERO,
                    Severity.WARNING);
    private static final DeviceFold FOLD =
            new DeviceFold(
                    new FoldSettings(
                            Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, Duration.ZERO),
                    new AlertRules(List.of(HOT, HOT_FOR_A_MINUTE, BATTERY)));

    @Test
    void crossingAThresholdBothWaysRaisesThenClearsOneEpisode() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 70),
                                telemetry("e2", "d1", seconds(10), "temperature", 85),
                                telemetry("e3", "d1", seconds(20), "temperature", 90),
                                telemetry("e4", "d1", seconds(30), "temperature", 76),
                                telemetry("e5", "d1", seconds(40), "temperature", 74));

        List<Alert> hot = only(run.alerts, "temperature-high");
        assertThat(hot)
                .extracting(Alert::getStatus)
                .containsExactly(AlertStatus.RAISED, AlertStatus.CLEARED);
        Alert raised = hot.get(0);
        Alert cleared = hot.get(1);
        assertThat(raised.getAlertId())
                .isEqualTo(DeterministicIds.alert("d1", "temperature-high", "e2"));
        assertThat(cleared.getAlertId()).isEqualTo(raised.getAlertId());
        assertThat(raised.getCause()).isEqualTo(new EventRef("e2", DeviceEvents.position(1)));
        assertThat(cleared.getCause()).isEqualTo(new EventRef("e5", DeviceEvents.position(4)));
        assertThat(raised.getValue()).isEqualTo(85.0);
        assertThat(raised.getThreshold()).isEqualTo(80.0);
        assertThat(cleared.getThreshold()).isEqualTo(75.0);
        assertThat(cleared.getRaisedAt()).isEqualTo(seconds(10));
        assertThat(cleared.getEventTime()).isEqualTo(seconds(40));
        assertThat(raised.getSeverity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aHoldStartsAgainAfterAnEpisodeCleared() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 85),
                                telemetry("e2", "d1", seconds(60), "temperature", 86),
                                telemetry("e3", "d1", seconds(70), "temperature", 70),
                                telemetry("e4", "d1", seconds(80), "temperature", 85),
                                telemetry("e5", "d1", seconds(100), "temperature", 85),
                                telemetry("e6", "d1", seconds(140), "temperature", 85));

        assertThat(only(run.alerts, "temperature-hot-1m"))
                .extracting(a -> a.getStatus() + " " + a.getCause().getEventId())
                .containsExactly("RAISED e2", "CLEARED e3", "RAISED e6");
    }

    @Test
    void aNewEpisodeGetsANewId() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 85),
                                telemetry("e2", "d1", seconds(10), "temperature", 70),
                                telemetry("e3", "d1", seconds(20), "temperature", 85));

        List<Alert> hot = only(run.alerts, "temperature-high");
        assertThat(hot)
                .extracting(Alert::getStatus)
                .containsExactly(AlertStatus.RAISED, AlertStatus.CLEARED, AlertStatus.RAISED);
        assertThat(hot.get(2).getAlertId())
                .isNotEqualTo(hot.get(0).getAlertId())
                .isEqualTo(DeterministicIds.alert("d1", "temperature-high", "e3"));
    }

    @Test
    void anOutOfOrderReadingThatIsNotTheLatestDoesNotReachTheRules() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(20), "temperature", 70),
                                telemetry("e2", "d1", seconds(10), "temperature", 95));

        assertThat(run.alerts).isEmpty();
    }

    @Test
    void theRuleWithAHoldRaisesOnlyAfterTheConditionHeldInEventTime() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 85),
                                telemetry("e2", "d1", seconds(30), "temperature", 86),
                                telemetry("e3", "d1", seconds(60), "temperature", 87));

        assertThat(only(run.alerts, "temperature-hot-1m"))
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.getCause().getEventId()).isEqualTo("e3");
                            assertThat(alert.getRaisedAt()).isEqualTo(seconds(60));
                        });
        assertThat(run.state.getRules()).containsOnlyKeys("temperature-high", "temperature-hot-1m");
    }

    @Test
    void batteryLowIsAnOrdinaryBelowRule() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "battery", 40, "temperature", 20),
                                telemetry("e2", "d1", seconds(10), "battery", 14.5),
                                telemetry("e3", "d1", seconds(20), "battery", 19),
                                telemetry("e4", "d1", seconds(30), "battery", 21));

        assertThat(only(run.alerts, "battery-low"))
                .extracting(a -> a.getStatus() + "@" + a.getCause().getEventId())
                .containsExactly("RAISED@e2", "CLEARED@e4");
    }

    @Test
    void alertsOfOneEventComeInMetricThenRuleOrder() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 99, "battery", 1));

        assertThat(run.alerts)
                .extracting(Alert::getRuleId)
                .containsExactly("battery-low", "temperature-high");
    }

    @Test
    void decommissioningClosesActiveEpisodesAndForgetsPendingOnes() {
        FoldRun run =
                new FoldRun(FOLD)
                        .applyAll(
                                telemetry("e1", "d1", seconds(0), "temperature", 99, "battery", 1),
                                decommissioned("e2", "d1", seconds(5), "retired"));

        assertThat(run.alerts)
                .extracting(
                        a -> a.getRuleId() + " " + a.getStatus() + "@" + a.getCause().getEventId())
                .containsExactly(
                        "battery-low RAISED@e1",
                        "temperature-high RAISED@e1",
                        "battery-low CLEARED@e2",
                        "temperature-high CLEARED@e2");
        assertThat(run.state.getRules()).isEmpty();
    }

    @Test
    void theTwinListsTheRulesWithAnOpenEpisode() {
        FoldRun run = new FoldRun(FOLD);

        run.apply(telemetry("e1", "d1", seconds(0), "temperature", 99, "battery", 1));
        assertThat(run.twin().getActiveAlerts()).containsExactly("battery-low", "temperature-high");
        run.apply(telemetry("e2", "d1", seconds(10), "battery", 40));
        assertThat(run.twin().getActiveAlerts()).containsExactly("temperature-high");
        run.apply(telemetry("e3", "d1", seconds(70), "temperature", 99));
        assertThat(run.twin().getActiveAlerts())
                .containsExactly("temperature-high", "temperature-hot-1m");
        run.apply(decommissioned("e4", "d1", seconds(80), "retired"));
        assertThat(run.twin().getActiveAlerts()).isEmpty();
    }

    @Test
    void aStateWrittenBeforeTheFieldExistedGetsItOnRefresh() {
        FoldRun run =
                new FoldRun(FOLD).applyAll(telemetry("e1", "d1", seconds(0), "temperature", 99));
        run.twin().setActiveAlerts(List.of());

        assertThat(ActiveAlerts.refresh(run.state).getTwin().getActiveAlerts())
                .containsExactly("temperature-high");
        assertThat(ActiveAlerts.refresh(null)).isNull();
    }

    private static List<Alert> only(List<Alert> alerts, String ruleId) {
        return alerts.stream().filter(a -> a.getRuleId().equals(ruleId)).toList();
    }
}
