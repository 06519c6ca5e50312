package io.twinlog.alerts;

import io.twinlog.schema.rules.RuleSet;
import java.util.List;

/**
 * The rules of an event log read in order by one process (replays, backtests, the read side): what
 * the job's routing operator and its fold's catalog do together, without Flink.
 */
public final class LogRules {

    private final RuleVersions versions = new RuleVersions();
    private final RuleCatalog catalog;

    /**
     * @param initial version 0: the rules file the job was started with
     */
    public LogRules(AlertRules initial) {
        this.catalog = new RuleCatalog(initial);
    }

    /**
     * A marker read in log order.
     *
     * @return null if its partition activates it, else why not (the job dead-letters it)
     */
    public String activate(int partition, RuleSet ruleSet) {
        String refusal = versions.activate(partition, ruleSet);
        if (refusal == null) {
            catalog.add(ruleSet);
        }
        return refusal;
    }

    /** The version an event of the partition with this event time is evaluated with. */
    public RuleVersions.Stamp stamp(int partition, long eventTime) {
        return versions.stamp(partition, eventTime);
    }

    public RuleCatalog catalog() {
        return catalog;
    }

    /** What each partition has activated, as the job's routing operator checkpoints it. */
    public List<RuleVersions.Activated> activated() {
        return versions.all();
    }
}
