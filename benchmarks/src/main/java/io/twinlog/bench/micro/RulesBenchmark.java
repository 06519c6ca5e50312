package io.twinlog.bench.micro;

import io.twinlog.alerts.AlertRules;
import io.twinlog.alerts.ThresholdRule;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.state.RuleState;
import io.twinlog.twin.AlertRecords;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Alert evaluation for one reading: the rules of its metric looked up and evaluated (the common
 * case: nothing happens), and a threshold crossing both ways, which builds the RAISED and CLEARED
 * records with their name-based ids.
 */
@State(Scope.Thread)
public class RulesBenchmark {

    private AlertRules rules;
    private ThresholdRule hot;
    private final RuleState quiet = new RuleState(null, null, null);
    private final RuleState episode = new RuleState(null, null, null);
    private final EventRef cause =
            new EventRef(
                    "0b6a4c2e-3f7d-4b8e-9a1c-5d2e7f8a9b0c",
                    new LogPosition("device-events", 1, 42L));
    private long time = BenchmarkEvents.START;

    @Setup(Level.Trial)
    public void setUp() {
        rules = BenchmarkEvents.stackRules();
        hot = rules.byId("temperature-high");
    }

    @Benchmark
    public int evaluateAReadingInBounds() {
        List<ThresholdRule> forMetric = rules.forMetric("temperature");
        int steps = 0;
        for (ThresholdRule rule : forMetric) {
            steps += rule.evaluate(quiet, 42.0, time++).ordinal();
        }
        return steps;
    }

    @Benchmark
    public Alert raiseAndClear() {
        long at = time++;
        hot.evaluate(episode, 85.0, at);
        Alert raised = AlertRecords.raised("dev-000042", hot, 85.0, at, cause);
        episode.setPendingSince(null);
        episode.setActiveAlertId(raised.getAlertId());
        hot.evaluate(episode, 70.0, at + 1);
        episode.setActiveAlertId(null);
        return AlertRecords.cleared(
                "dev-000042", hot, raised.getAlertId(), at, 70.0, at + 1, cause);
    }
}
