package io.twinlog.backtest;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.AlertRulesFile;
import io.twinlog.kernel.LogAdmission;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.twin.DeterministicIds;
import io.twinlog.twin.DeviceEvents;
import io.twinlog.twin.FoldSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Candidate rules against the rules in force over the same events, with literal expectations. */
class RuleBacktestTest {

    private static final FoldSettings SETTINGS =
            new FoldSettings(Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, Duration.ZERO);
    private static final AlertRules IN_FORCE =
            AlertRulesFile.parse(
                    """
                    {"rules": [{"id": "hot", "metric": "temperature", "high": 80, "deadband": 5}]}""");

    private static RuleBacktest run(
            AlertRules candidate, Instant from, Instant to, List<DeviceEvent> events) {
        return fold(
                new RuleBacktest(SETTINGS, IN_FORCE, candidate, from, to, device -> true), events);
    }

    private static RuleBacktest fold(RuleBacktest backtest, List<DeviceEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            backtest.accept(new LogAdmission.Event(events.get(i)), DeviceEvents.position(i));
        }
        return backtest;
    }

    @Test
    void theRulesInForceFollowTheVersionsTheLogActivatesAndTheCandidateAppliesThroughout() {
        // version 1 (published after e1) moves hot to 85, as the candidate does
        AlertRules v1 =
                AlertRulesFile.parse(
                        """
                        {"rules": [{"id": "hot", "metric": "temperature", "high": 85, "deadband": 5}]}""");
        RuleBacktest backtest = new RuleBacktest(SETTINGS, IN_FORCE, v1, null, null, d -> true);
        backtest.accept(
                new LogAdmission.Event(telemetry("e1", "d1", seconds(0), "temperature", 70)),
                DeviceEvents.position(0));
        backtest.accept(
                new LogAdmission.Marker(
                        RuleSet.newBuilder()
                                .setVersion(1)
                                .setRules(AlertRulesFile.toJson(v1))
                                .setPublishedAt(Instant.EPOCH)
                                .build()),
                DeviceEvents.position(1));
        backtest.accept(
                new LogAdmission.Event(telemetry("e2", "d1", seconds(10), "temperature", 82)),
                DeviceEvents.position(2));
        backtest.accept(
                new LogAdmission.Event(telemetry("e3", "d1", seconds(20), "temperature", 88)),
                DeviceEvents.position(3));

        // 82 raises nothing under version 1: the job and the candidate agree
        RuleBacktest.RuleDiff hot = backtest.compare().get(0);
        assertThat(hot.differs()).isFalse();
        assertThat(hot.inForce()).isEqualTo(1);
        assertThat(backtest.newestInForce()).isEqualTo(v1);
    }

    @Test
    void aHigherThresholdRaisesTheSameEpisodeLaterAndThatIsAChange() {
        AlertRules candidate =
                AlertRulesFile.parse(
                        """
                        {"rules": [
                          {"id": "hot", "metric": "temperature", "high": 85, "deadband": 5},
                          {"id": "cold", "metric": "temperature", "low": 0}
                        ]}""");
        RuleBacktest backtest =
                run(
                        candidate,
                        null,
                        null,
                        List.of(
                                telemetry("e1", "d1", seconds(0), "temperature", 70),
                                telemetry("e2", "d1", seconds(10), "temperature", 82),
                                telemetry("e3", "d1", seconds(20), "temperature", 88),
                                telemetry("e4", "d1", seconds(30), "temperature", 74)));

        List<RuleBacktest.RuleDiff> diffs = backtest.compare();
        assertThat(diffs).extracting(RuleBacktest.RuleDiff::ruleId).containsExactly("cold", "hot");
        assertThat(diffs.get(0).differs()).isFalse();
        RuleBacktest.RuleDiff hot = diffs.get(1);
        assertThat(hot.inForce()).isEqualTo(1);
        assertThat(hot.candidate()).isEqualTo(1);
        assertThat(hot.devicesAffected()).isEqualTo(1);
        // Another raising event, so another alert id: still the same spell of heat, raised later.
        assertThat(hot.changed())
                .containsExactly(
                        new RuleBacktest.Changed(
                                new RuleBacktest.Episode(
                                        DeterministicIds.alert("d1", "hot", "e2"),
                                        "d1",
                                        "hot",
                                        seconds(10),
                                        "e2",
                                        82.0,
                                        seconds(30),
                                        "e4"),
                                new RuleBacktest.Episode(
                                        DeterministicIds.alert("d1", "hot", "e3"),
                                        "d1",
                                        "hot",
                                        seconds(20),
                                        "e3",
                                        88.0,
                                        seconds(30),
                                        "e4")));
        assertThat(hot.removed()).isEmpty();
        assertThat(hot.added()).isEmpty();
        assertThat(backtest.events()).isEqualTo(4);
    }

    @Test
    void episodesThatNeverOverlapAreRemovedAndAddedNotChanged() {
        AlertRules candidate =
                AlertRulesFile.parse(
                        """
                        {"rules": [
                          {"id": "hot", "metric": "temperature", "high": 85, "deadband": 5},
                          {"id": "cold", "metric": "temperature", "low": 0}
                        ]}""");
        RuleBacktest backtest =
                run(
                        candidate,
                        null,
                        null,
                        List.of(
                                // in force only (80 < 82 < 85): raised at 10 s, cleared at 20 s
                                telemetry("e1", "d1", seconds(0), "temperature", 70),
                                telemetry("e2", "d1", seconds(10), "temperature", 82),
                                telemetry("e3", "d1", seconds(20), "temperature", 70),
                                // both: raised at 30 s; a device of its own for the candidate only
                                telemetry("e4", "d1", seconds(30), "temperature", 90),
                                telemetry("e5", "d2", seconds(0), "temperature", 70),
                                telemetry("e6", "d2", seconds(10), "temperature", 88)));

        RuleBacktest.RuleDiff hot = backtest.compare().get(1);
        assertThat(hot.removed())
                .extracting(RuleBacktest.Episode::raisedBy)
                .as("over before the candidate's raised")
                .containsExactly("e2");
        assertThat(hot.changed()).isEmpty();
        assertThat(hot.added()).isEmpty();
        assertThat(hot.inForce()).isEqualTo(3);
        assertThat(hot.candidate()).isEqualTo(2);
    }

    @Test
    void aNarrowerDeadbandEndsTheSameEpisodeEarlier() {
        AlertRules candidate =
                AlertRulesFile.parse(
                        """
                        {"rules": [{"id": "hot", "metric": "temperature", "high": 80, "deadband": 2}]}""");
        RuleBacktest.RuleDiff hot =
                run(
                                candidate,
                                null,
                                null,
                                List.of(
                                        telemetry("e1", "d1", seconds(0), "temperature", 70),
                                        telemetry("e2", "d1", seconds(10), "temperature", 85),
                                        telemetry("e3", "d1", seconds(20), "temperature", 77),
                                        telemetry("e4", "d1", seconds(30), "temperature", 74)))
                        .compare()
                        .get(0);

        assertThat(hot.added()).isEmpty();
        assertThat(hot.removed()).isEmpty();
        assertThat(hot.changed()).hasSize(1);
        assertThat(hot.changed().get(0).inForce().clearedBy()).isEqualTo("e4");
        assertThat(hot.changed().get(0).candidate().clearedBy()).isEqualTo("e3");
    }

    @Test
    void theWindowSelectsEpisodesByWhenTheyWereRaisedButTheFoldSeesEverything() {
        AlertRules candidate =
                AlertRulesFile.parse(
                        """
                        {"rules": [{"id": "hot", "metric": "temperature", "high": 90, "deadband": 5}]}""");
        List<DeviceEvent> events =
                List.of(
                        telemetry("e1", "d1", seconds(0), "temperature", 95),
                        telemetry("e2", "d1", seconds(10), "temperature", 70),
                        telemetry("e3", "d1", seconds(20), "temperature", 85),
                        telemetry("e4", "d2", seconds(20), "temperature", 85));

        RuleBacktest.RuleDiff all = run(candidate, null, null, events).compare().get(0);
        RuleBacktest.RuleDiff late = run(candidate, seconds(15), null, events).compare().get(0);
        RuleBacktest onlyD2 =
                fold(
                        new RuleBacktest(SETTINGS, IN_FORCE, candidate, null, null, "d2"::equals),
                        events);

        // e1 raises under both rule sets (same episode); e3 and e4 only under the rules in force
        assertThat(all.inForce()).isEqualTo(3);
        assertThat(all.removed())
                .extracting(RuleBacktest.Episode::raisedBy)
                .containsExactly("e3", "e4");
        assertThat(late.inForce()).isEqualTo(2);
        assertThat(late.candidate()).isZero();
        assertThat(onlyD2.events()).isEqualTo(1);
        assertThat(onlyD2.compare().get(0).removed())
                .extracting(RuleBacktest.Episode::deviceId)
                .containsExactly("d2");
    }

    @Test
    void shardsOfDisjointDevicesMergeIntoTheSameComparisonAsOneBacktest() {
        AlertRules candidate =
                AlertRulesFile.parse(
                        """
                        {"rules": [{"id": "hot", "metric": "temperature", "high": 84, "deadband": 5}]}""");
        List<DeviceEvent> events =
                List.of(
                        telemetry("e1", "d1", seconds(0), "temperature", 82),
                        telemetry("e2", "d2", seconds(1), "temperature", 83),
                        telemetry("e3", "d3", seconds(2), "temperature", 90),
                        telemetry("e4", "d1", seconds(3), "temperature", 86),
                        telemetry("e5", "d2", seconds(4), "temperature", 70));
        RuleBacktest whole = run(candidate, null, null, events);
        RuleBacktest odd =
                fold(
                        new RuleBacktest(
                                SETTINGS, IN_FORCE, candidate, null, null, d -> !d.equals("d2")),
                        events);
        RuleBacktest even =
                fold(
                        new RuleBacktest(SETTINGS, IN_FORCE, candidate, null, null, "d2"::equals),
                        events);

        List<RuleBacktest.RuleDiff> merged =
                RuleBacktest.merge(List.of(even.compare(), odd.compare()));

        assertThat(merged).isEqualTo(RuleBacktest.merge(List.of(whole.compare())));
        assertThat(merged.get(0).removed())
                .extracting(RuleBacktest.Episode::raisedBy)
                .containsExactly("e2");
        assertThat(merged.get(0).changed())
                .as("d1's episode, raised by e4 instead of e1")
                .extracting(c -> c.inForce().raisedBy() + " -> " + c.candidate().raisedBy())
                .containsExactly("e1 -> e4");
        assertThat(merged.get(0).added()).isEmpty();
        assertThat(merged.get(0).devicesAffected()).isEqualTo(2);
    }
}
