package io.twinlog.jobs;

import io.twinlog.jobs.state.RebuildJob;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.jobs.topology.Uids;
import io.twinlog.schema.state.DeviceState;
import java.util.Collection;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Writes savepoints holding given device states: for tests that need a savepoint with a known
 * defect.
 */
final class DeviceStateSavepoints {

    private DeviceStateSavepoints() {}

    static void write(Collection<DeviceState> states, String directory) throws Exception {
        StreamExecutionEnvironment env = environment();
        SavepointWriter.newSavepoint(env, new HashMapStateBackend(), FoldKeys.MAX_PARALLELISM)
                .withOperator(
                        OperatorIdentifier.forUid(Uids.DEVICE_TWIN_FOLD), keyedStates(env, states))
                .write(directory);
        env.execute("write device states");
    }

    /**
     * Copies a savepoint and adds keyed state (the given device states) for an operator with the
     * given uid: a savepoint of a job that had an operator the current job no longer has.
     */
    static void withExtraOperator(
            String savepoint, String uid, Collection<DeviceState> states, String directory)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        SavepointWriter.fromExistingSavepoint(env, savepoint, new HashMapStateBackend())
                .withOperator(OperatorIdentifier.forUid(uid), keyedStates(env, states))
                .write(directory);
        env.execute("add an operator to a savepoint");
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(RebuildJob.configuration());
        env.setParallelism(1);
        return env;
    }

    private static StateBootstrapTransformation<DeviceState> keyedStates(
            StreamExecutionEnvironment env, Collection<DeviceState> states) {
        return OperatorTransformation.bootstrapWith(
                        env.fromData(states, new AvroTypeInfo<>(DeviceState.class)))
                .keyBy(new ByDevice())
                .transform(new WriteState());
    }

    private static final class ByDevice implements KeySelector<DeviceState, String> {
        @Override
        public String getKey(DeviceState state) {
            return state.getTwin().getDeviceId();
        }
    }

    private static final class WriteState extends KeyedStateBootstrapFunction<String, DeviceState> {
        private transient ValueState<DeviceState> state;

        @Override
        public void open(OpenContext openContext) {
            state = getRuntimeContext().getState(Descriptors.DEVICE_STATE);
        }

        @Override
        public void processElement(DeviceState value, Context ctx) throws Exception {
            state.update(value);
        }
    }
}
