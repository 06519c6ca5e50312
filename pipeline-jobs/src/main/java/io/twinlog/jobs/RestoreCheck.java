package io.twinlog.jobs;

import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.topology.Uids;
import io.twinlog.options.DeviceTwinJobOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Which state of a savepoint the current DeviceTwinJob would drop on restore: operators that hold
 * state in the savepoint but are not in the job (Flink refuses those unless told to allow
 * non-restored state). Compared the way Flink compares: by operator id, which comes from the uid.
 */
public final class RestoreCheck {

    private RestoreCheck() {}

    /** Names (uids where known) of the operators whose state would be dropped; empty if none. */
    public static List<String> droppedOperators(String savepoint, DeviceTwinJobOptions options)
            throws Exception {
        Set<OperatorID> inJob = operatorsOf(options);
        Map<OperatorID, String> names = new HashMap<>();
        for (String uid :
                List.of(
                        Uids.EVENTS_SOURCE,
                        Uids.ROUTE_DEAD_LETTERS,
                        Uids.DEVICE_TWIN_FOLD,
                        Uids.OUTPUTS_SINK,
                        Uids.DEAD_LETTERS_SINK)) {
            names.put(OperatorIdentifier.forUid(uid).getOperatorId(), uid);
        }
        List<String> dropped = new ArrayList<>();
        for (OperatorState operator :
                SavepointLoader.loadSavepointMetadata(savepoint).getOperatorStates()) {
            if (operator.hasSubtaskStates() && !inJob.contains(operator.getOperatorID())) {
                dropped.add(
                        names.getOrDefault(
                                        operator.getOperatorID(),
                                        "operator " + operator.getOperatorID())
                                + " ("
                                + operator.getStateSize()
                                + " bytes)");
            }
        }
        return dropped;
    }

    private static Set<OperatorID> operatorsOf(DeviceTwinJobOptions options) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        DeviceTwinJob.requiredConfiguration());
        // Operator ids come from the uids alone: the partition count recorded in the manifest does
        // not matter here.
        DeviceTwinJob.from(options, 0)
                .build(
                        env,
                        KafkaIo.source(options),
                        KafkaIo.sink(options),
                        KafkaIo.deadLetterSink(options),
                        true);
        Set<OperatorID> ids = new HashSet<>();
        for (JobVertex vertex : env.getStreamGraph().getJobGraph().getVertices()) {
            for (OperatorIDPair pair : vertex.getOperatorIDs()) {
                ids.add(pair.getUserDefinedOperatorID().orElse(pair.getGeneratedOperatorID()));
            }
        }
        return ids;
    }
}
