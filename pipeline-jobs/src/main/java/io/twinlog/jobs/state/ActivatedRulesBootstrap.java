package io.twinlog.jobs.state;

import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.schema.state.ActivatedRules;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.state.api.functions.StateBootstrapFunction;

/**
 * Writes the routing operator's state into a rebuilt savepoint: the rules versions each partition
 * activated up to the rebuild's end, so that the live job resumes stamping where the replay ended.
 */
public final class ActivatedRulesBootstrap extends StateBootstrapFunction<ActivatedRules> {

    private static final long serialVersionUID = 1L;

    private transient ListState<ActivatedRules> state;
    private transient List<ActivatedRules> entries;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(Descriptors.ACTIVATED_RULES);
        entries = new ArrayList<>();
    }

    @Override
    public void processElement(ActivatedRules entry, Context ctx) {
        entries.add(entry);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.update(entries);
    }
}
