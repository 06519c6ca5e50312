package io.twinlog.twin;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.alerts.RuleCatalog;
import io.twinlog.alerts.RuleVersions;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.alert.AlertStatus;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a new rules version does to a device (docs/RULES.md), with literal expectations: it applies
 * from the device's first event stamped with it; an open episode of a removed or changed rule ends
 * with a CLEARED record giving the reason; a rule defined alike keeps its episode; a device never
 * goes back to an older version.
 */
class RulesVersionFoldTest {

    private static final String V0 =
            """
            {"rules": [
              {"id": "hot", "metric": "temperature", "high": 80, "deadband": 5},
              {"id": "cold", "metric": "temperature", "low": 0},
              {"id": "battery-low", "metric": "battery", "low": 20}
            ]}""";

    /** hot moves to 90, cold is removed, battery-low stays. */
    private static final String V1 =
            """
            {"rules": [
              {"id": "hot", "metric": "temperature", "high": 90, "deadband": 5},
              {"id": "battery-low", "metric": "battery", "low": 20}
            ]}""";

    private final DeviceFold fold =
            new DeviceFold(
                    new FoldSettings(
                            Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, Duration.ZERO),
                    AlertRulesFile.parse(V0));
    private final RuleVersions versions = new RuleVersions();
    private final RuleCatalog catalog = fold.newCatalog();
    private final InMemorySeenEventIds seen = new InMemorySeenEventIds();
    private final List<Alert> alerts = new ArrayList<>();
    private io.twinlog.schema.state.DeviceState state;
    private long offset;

    @Test
    void aChangedRuleEndsItsEpisodeAndStartsAfreshARemovedOneEndsAnUnchangedOneContinues() {
        apply(telemetry("e1", "d1", seconds(0), "temperature", 85)); // hot RAISED (v0: > 80)
        apply(reading("e2", seconds(10), "battery", 10)); // battery-low RAISED
        publish(1, V1, null);
        // 85 under v1: hot changed (ended), and 85 is not above 90: no new episode
        apply(telemetry("e3", "d1", seconds(20), "temperature", 85));

        assertThat(alerts)
                .extracting(
                        Alert::getRuleId,
                        Alert::getStatus,
                        a -> a.getCause().getEventId(),
                        Alert::getReason,
                        Alert::getRulesVersion)
                .containsExactly(
                        tuple("hot", AlertStatus.RAISED, "e1", null, 0),
                        tuple("battery-low", AlertStatus.RAISED, "e2", null, 0),
                        tuple("hot", AlertStatus.CLEARED, "e3", "RULE_CHANGED", 1));
        assertThat(alerts.get(2).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
        assertThat(alerts.get(2).getMessage()).isEqualTo("rule changed in rules version 1");
        assertThat(state.getTwin().getRulesVersion()).isEqualTo(1);
        assertThat(state.getTwin().getActiveAlerts()).containsExactly("battery-low");

        // 95 is above v1's 90: a new episode, its id from this event
        apply(telemetry("e4", "d1", seconds(30), "temperature", 95));
        assertThat(alerts.get(3))
                .extracting(Alert::getRuleId, Alert::getStatus, Alert::getAlertId)
                .containsExactly(
                        "hot", AlertStatus.RAISED, DeterministicIds.alert("d1", "hot", "e4"));
    }

    @Test
    void aRemovedRuleClearsItsOpenEpisodeWithTheReason() {
        apply(telemetry("e1", "d1", seconds(0), "temperature", -5)); // cold RAISED
        publish(1, V1, null);
        apply(reading("e2", seconds(10), "battery", 50));

        assertThat(alerts)
                .extracting(Alert::getRuleId, Alert::getStatus, Alert::getReason)
                .containsExactly(
                        tuple("cold", AlertStatus.RAISED, null),
                        tuple("cold", AlertStatus.CLEARED, "RULE_REMOVED"));
        assertThat(alerts.get(1).getMessage()).isEqualTo("rule removed in rules version 1");
        assertThat(state.getRules()).isEmpty();
    }

    @Test
    void aVersionEffectiveLaterAppliesFromThatEventTimeAndADeviceNeverGoesBack() {
        publish(1, V1, seconds(100));
        apply(telemetry("e1", "d1", seconds(50), "temperature", 85)); // v0: hot RAISED
        apply(telemetry("e2", "d1", seconds(100), "temperature", 85)); // v1: changed, ended
        // an event from before 100 s (within lateness): stamped v0, but the device stays at v1
        apply(telemetry("e3", "d1", seconds(60), "temperature", 85));

        assertThat(alerts)
                .extracting(Alert::getStatus, Alert::getReason, a -> a.getCause().getEventId())
                .containsExactly(
                        tuple(AlertStatus.RAISED, null, "e1"),
                        tuple(AlertStatus.CLEARED, "RULE_CHANGED", "e2"));
        assertThat(state.getTwin().getRulesVersion()).isEqualTo(1);
    }

    @Test
    void aVersionThatChangesNothingForTheDeviceKeepsItsEpisodes() {
        apply(reading("e1", seconds(0), "battery", 10)); // battery-low RAISED
        publish(1, V1, null);
        apply(reading("e2", seconds(10), "battery", 30)); // cleared by the reading, under v1

        assertThat(alerts)
                .extracting(Alert::getStatus, Alert::getReason, Alert::getRulesVersion)
                .containsExactly(
                        tuple(AlertStatus.RAISED, null, 0), tuple(AlertStatus.CLEARED, null, 1));
        assertThat(alerts.get(1).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
    }

    private void publish(int version, String rulesText, Instant effectiveFrom) {
        RuleSet ruleSet =
                RuleSet.newBuilder()
                        .setVersion(version)
                        .setRules(rulesText)
                        .setEffectiveFrom(effectiveFrom)
                        .setPublishedAt(Instant.EPOCH)
                        .build();
        assertThat(versions.activate(0, ruleSet)).isNull();
        catalog.add(ruleSet);
    }

    private static DeviceEvent reading(String id, Instant time, String metric, double value) {
        return telemetry(id, "d1", time, metric, value);
    }

    private void apply(DeviceEvent event) {
        FoldResult result =
                fold.apply(
                        state,
                        seen,
                        event,
                        DeviceEvents.position(offset++),
                        versions.stamp(0, event.getEventTime().toEpochMilli()),
                        catalog);
        state = result.state();
        alerts.addAll(result.alerts());
    }
}
