package io.twinlog.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.alerts.ThresholdRule.Direction;
import io.twinlog.schema.alert.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesFileTest {

    @Test
    void readsHighAndLowRulesWithDefaults() {
        AlertRules rules =
                AlertRulesFile.parse(
                        """
                {"rules": [
                  {"id": "temperature-high", "metric": "temperature", "high": 80, "deadband": 2, "holdFor": "30s", "severity": "critical"},
                  {"id": "battery-low", "metric": "battery", "low": 15}
                ]}""");

        assertThat(rules.all())
                .containsExactly(
                        new ThresholdRule(
                                "temperature-high",
                                "temperature",
                                Direction.ABOVE,
                                80,
                                2,
                                Duration.ofSeconds(30),
                                Severity.CRITICAL),
                        new ThresholdRule(
                                "battery-low",
                                "battery",
                                Direction.BELOW,
                                15,
                                0,
                                Duration.ZERO,
                                Severity.WARNING));
        assertThat(rules.forMetric("battery"))
                .extracting(ThresholdRule::id)
                .containsExactly("battery-low");
        assertThat(rules.forMetric("humidity")).isEmpty();
    }

    @Test
    void refusesAmbiguousOrMistypedRulesWithTheRuleNumber() {
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\", \"high\": 1, \"low\": 0}]}",
                "rule #1: give exactly one");
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\"}]}",
                "exactly one of \"high\", \"low\", \"risesFaster\" and \"fallsFaster\"");
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\", \"hihg\": 1}]}",
                "unknown field 'hihg'");
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\", \"high\": \"80\"}]}",
                "\"high\" must be a number");
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\", \"high\": 1, \"holdFor\": \"soon\"}]}",
                "not a duration");
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\", \"high\": 1, \"severity\": \"PANIC\"}]}",
                "severity must be");
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\", \"high\": 1, \"deadband\": -1}]}",
                "deadband >= 0");
        assertError(
                "{\"rules\": [{\"id\": \"a\", \"metric\": \"t\", \"high\": 1}, {\"id\": \"a\", \"metric\": \"u\", \"low\": 1}]}",
                "duplicate rule id 'a'");
        assertError(
                "{\"rules\": [{\"id\": \"device-silent\", \"metric\": \"t\", \"high\": 1}]}",
                "reserved");
        assertError(
                "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80, \"deadband\": 70},"
                        + " {\"id\": \"cold\", \"metric\": \"t\", \"low\": 10}]}",
                "a deadband is wider than the range");
        assertError(
                "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80},"
                        + " {\"id\": \"cold\", \"metric\": \"t\", \"low\": 10, \"deadband\": 75}]}",
                "clears above 85.0");
        assertError("[]", "expected an object with a \"rules\" array");
        assertError("{rules", "not JSON");
    }

    @Test
    void rulesOnOneMetricWhoseBandsDoNotOverlapAreAccepted() {
        assertThat(
                        AlertRulesFile.parse(
                                        "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80, \"deadband\": 69},"
                                                + " {\"id\": \"cold\", \"metric\": \"t\", \"low\": 10, \"deadband\": 1}]}")
                                .all())
                .hasSize(2);
    }

    @Test
    void aClearBoundExactlyOnTheOtherRulesThresholdIsAContradictionToo() {
        assertError(
                "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80, \"deadband\": 70},"
                        + " {\"id\": \"cold\", \"metric\": \"t\", \"low\": 10}]}",
                "clears below 10.0");
        assertError(
                "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80},"
                        + " {\"id\": \"cold\", \"metric\": \"t\", \"low\": 10, \"deadband\": 70}]}",
                "clears above 80.0");
    }

    @Test
    void ruleSetsAreEqualOnlyWhenEveryRuleIs() {
        AlertRules rules =
                AlertRulesFile.parse(
                        "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80}]}");
        AlertRules same =
                AlertRulesFile.parse(
                        "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80.0}]}");
        for (String other :
                List.of(
                        "\"high\": 81",
                        "\"high\": 80, \"deadband\": 1",
                        "\"low\": 80",
                        "\"high\": 80, \"holdFor\": \"1s\"",
                        "\"high\": 80, \"severity\": \"INFO\"")) {
            AlertRules different =
                    AlertRulesFile.parse(
                            "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", " + other + "}]}");
            assertThat(different).as(other).isNotEqualTo(rules);
            assertThat(different.all().get(0)).as(other).isNotEqualTo(rules.all().get(0));
        }
        assertThat(same).isEqualTo(rules).hasSameHashCodeAs(rules);
        assertThat(same.all().get(0)).hasSameHashCodeAs(rules.all().get(0));
        assertThat(rules.all().get(0))
                .hasToString("hot: t > 80.0 (clear < 80.0, WARNING)")
                .isNotEqualTo("hot");
        assertThat(
                        AlertRulesFile.parse(
                                "{\"rules\": [{\"id\": \"low\", \"metric\": \"b\", \"low\": 15,"
                                        + " \"deadband\": 5, \"holdFor\": \"1m\"}]}"))
                .hasToString("[low: b < 15.0 (clear > 20.0, hold PT1M, WARNING)]");
    }

    @Test
    void theCanonicalTextReadsBackAsTheSameRules() {
        AlertRules rules =
                AlertRulesFile.parse(
                        "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80,"
                                + " \"holdFor\": \"30s\", \"severity\": \"critical\", \"description\": \"d\"}, {\"id\": \"low\","
                                + " \"metric\": \"b\", \"low\": 15, \"deadband\": 5}]}");

        assertThat(AlertRulesFile.parse(AlertRulesFile.toJson(rules))).isEqualTo(rules);
        assertThat(AlertRulesFile.toJson(rules))
                .isEqualTo(
                        "{\"rules\":[{\"id\":\"hot\",\"metric\":\"t\",\"high\":80.0,"
                                + "\"deadband\":0.0,\"holdFor\":\"30s\",\"severity\":\"CRITICAL\"},{\"id\":\"low\",\"metric\":\"b\","
                                + "\"low\":15.0,\"deadband\":5.0,\"holdFor\":\"0s\",\"severity\":\"WARNING\"}]}");
    }

    @Test
    void readsRateRulesAndWritesThemBackAsGiven() {
        AlertRules rules =
                AlertRulesFile.parse(
                        """
                        {"rules": [
                          {"id": "heating", "metric": "temperature", "risesFaster": 2.5, "deadband": 1},
                          {"id": "draining", "metric": "battery", "fallsFaster": 3, "holdFor": "1m"},
                          {"id": "hot", "metric": "temperature", "high": 80}
                        ]}""");

        ThresholdRule heating = rules.byId("heating");
        assertThat(heating.measure()).isEqualTo(ThresholdRule.Measure.RATE_PER_MINUTE);
        assertThat(heating.direction()).isEqualTo(ThresholdRule.Direction.ABOVE);
        assertThat(heating.threshold()).isEqualTo(2.5);
        assertThat(heating.clearBound()).isEqualTo(1.5);
        ThresholdRule draining = rules.byId("draining");
        assertThat(draining.direction()).isEqualTo(ThresholdRule.Direction.BELOW);
        assertThat(draining.threshold()).isEqualTo(-3.0);
        assertThat(rules.byId("hot").measure()).isEqualTo(ThresholdRule.Measure.VALUE);
        assertThat(AlertRulesFile.toJson(rules))
                .isEqualTo(
                        "{\"rules\":["
                                + "{\"id\":\"heating\",\"metric\":\"temperature\",\"risesFaster\":2.5,\"deadband\":1.0,\"holdFor\":\"0s\",\"severity\":\"WARNING\"},"
                                + "{\"id\":\"draining\",\"metric\":\"battery\",\"fallsFaster\":3.0,\"deadband\":0.0,\"holdFor\":\"1m\",\"severity\":\"WARNING\"},"
                                + "{\"id\":\"hot\",\"metric\":\"temperature\",\"high\":80.0,\"deadband\":0.0,\"holdFor\":\"0s\",\"severity\":\"WARNING\"}]}");
        assertThat(AlertRulesFile.parse(AlertRulesFile.toJson(rules))).isEqualTo(rules);
    }

    @Test
    void refusesRateRulesThatCouldNotWork() {
        assertError(
                "{\"rules\":[{\"id\":\"r\",\"metric\":\"t\",\"risesFaster\":0}]}",
                "\"risesFaster\" is a rate per minute above 0");
        assertError(
                "{\"rules\":[{\"id\":\"r\",\"metric\":\"t\",\"fallsFaster\":-2}]}",
                "\"fallsFaster\" is a rate per minute above 0");
        assertError(
                "{\"rules\":[{\"id\":\"r\",\"metric\":\"t\",\"risesFaster\":2,\"deadband\":2}]}",
                "the alert clears only once the metric turns the other way");
        assertError(
                "{\"rules\":[{\"id\":\"r\",\"metric\":\"t\",\"risesFaster\":2,\"high\":80}]}",
                "give exactly one of");
    }

    private static void assertError(String json, String message) {
        assertThatThrownBy(() -> AlertRulesFile.parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aDescriptionIsKeptWhenPublishedAndChangesNothingTheRuleDoes() {
        AlertRules described =
                AlertRulesFile.parse(
                        "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80,"
                                + " \"description\": \"the cold room must stay cold\"}]}");
        AlertRules bare =
                AlertRulesFile.parse(
                        "{\"rules\": [{\"id\": \"hot\", \"metric\": \"t\", \"high\": 80}]}");

        assertThat(
                        AlertRulesFile.parse(AlertRulesFile.toPublishedJson(described))
                                .byId("hot")
                                .description())
                .isEqualTo("the cold room must stay cold");
        assertThat(AlertRulesFile.toJson(described))
                .as("the semantic text the job records")
                .isEqualTo(AlertRulesFile.toJson(bare));
        assertThat(described.byId("hot")).isEqualTo(bare.byId("hot"));
    }
}
