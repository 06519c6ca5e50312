package io.twinlog.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuleChangesTest {

    private static final AlertRules IN_FORCE =
            AlertRulesFile.parse(
                    """
                    {"rules": [
                      {"id": "hot", "metric": "temperature", "high": 80, "deadband": 5},
                      {"id": "low-battery", "metric": "battery", "low": 15},
                      {"id": "heating", "metric": "temperature", "risesFaster": 2}
                    ]}""");

    @Test
    void namesEachRuleAddedRemovedAndEveryFieldChanged() {
        AlertRules candidate =
                AlertRulesFile.parse(
                        """
                        {"rules": [
                          {"id": "hot", "metric": "temperature", "high": 84, "deadband": 2, "holdFor": "30s", "severity": "CRITICAL"},
                          {"id": "heating", "metric": "temperature", "fallsFaster": 3},
                          {"id": "humid", "metric": "humidity", "high": 90}
                        ]}""");

        RuleChanges changes = RuleChanges.between(IN_FORCE, candidate);

        assertThat(changes.none()).isFalse();
        assertThat(changes.describe())
                .containsExactly(
                        "+ humid: humidity > 90.0 (clear < 90.0, WARNING)",
                        "- low-battery: battery < 15.0 (clear > 15.0, WARNING)",
                        "~ hot: high 80.0 -> 84.0, deadband 5.0 -> 2.0, holdFor 0s -> 30s,"
                                + " severity WARNING -> CRITICAL",
                        "~ heating: risesFaster 2.0 -> fallsFaster 3.0");
    }

    @Test
    void theSameRulesInAnotherOrderAreAChangeOfOrderOnly() {
        AlertRules reordered =
                AlertRulesFile.parse(
                        """
                        {"rules": [
                          {"id": "heating", "metric": "temperature", "risesFaster": 2},
                          {"id": "low-battery", "metric": "battery", "low": 15},
                          {"id": "hot", "metric": "temperature", "high": 80, "deadband": 5}
                        ]}""");

        RuleChanges changes = RuleChanges.between(IN_FORCE, reordered);

        assertThat(changes.none()).isFalse();
        assertThat(changes.describe())
                .containsExactly(
                        "~ order (one event's alerts come out in it): hot, low-battery, heating"
                                + " -> heating, low-battery, hot");
        assertThat(RuleChanges.between(IN_FORCE, IN_FORCE).none()).isTrue();
    }
}
