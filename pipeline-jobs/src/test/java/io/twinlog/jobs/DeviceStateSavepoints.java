package io.twinlog.jobs;

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
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Writes savepoints holding given device states: for tests that need a savepoint with a known defect. */
final class DeviceStateSavepoints {

    private DeviceStateSavepoints() {}

    static void write(Collection<DeviceState> states, String directory) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                io.twinlog.jobs.state.RebuildJob.configuration());
        env.setParallelism(1);
        var transformation = OperatorTransformation
                .bootstrapWith(env.fromData(states, new AvroTypeInfo<>(DeviceState.class)))
                .keyBy(new ByDevice())
                .transform(new WriteState());
        SavepointWriter.newSavepoint(env, new HashMapStateBackend(), DeviceTwinJob.MAX_PARALLELISM)
                .withOperator(OperatorIdentifier.forUid(Uids.DEVICE_TWIN_FOLD), transformation)
                .write(directory);
        env.execute("write device states");
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
