package io.twinlog.jobs.state;

import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.jobs.topology.Uids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.runtime.SavepointLoader;

/**
 * Whether the fold's sink runs chained to the fold. Chained, the records go from the fold to the
 * sink without Flink's network serialization, and the sink takes the fold's max parallelism (1024).
 * Savepoints of twinlog 0.1.0 and 0.2.0 hold the sink's state at max parallelism 128 (it ran as a
 * task of its own), which Flink cannot restore into a chain with a different one: a job restoring
 * such a savepoint keeps the sink unchained. A rebuild from the log writes no sink state, so
 * resuming from a rebuilt savepoint moves a deployment to the chained layout (docs/UPGRADES.md).
 */
public final class SinkLayout {

    private SinkLayout() {}

    public static boolean chainedToFold(Optional<String> restoringFrom) {
        if (restoringFrom.isEmpty()) {
            return true;
        }
        var writer = OperatorIdentifier.forUid(Uids.OUTPUTS_SINK).getOperatorId();
        try {
            for (OperatorState operator :
                    SavepointLoader.loadSavepointMetadata(restoringFrom.get())
                            .getOperatorStates()) {
                if (operator.getOperatorID().equals(writer)
                        && operator.hasSubtaskStates()
                        && operator.getMaxParallelism() != FoldKeys.MAX_PARALLELISM) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the savepoint " + restoringFrom.get(), e);
        }
    }
}
