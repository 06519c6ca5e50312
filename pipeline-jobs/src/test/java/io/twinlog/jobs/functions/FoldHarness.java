package io.twinlog.jobs.functions;

import io.twinlog.connect.RawRecords;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.JobManifest;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIdBucket;
import io.twinlog.twin.DeviceFold;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The fold operator in a harness on a chosen state backend, with the keyed state of a device
 * readable (and writable, to plant a state) as the backend holds it.
 */
final class FoldHarness implements AutoCloseable {

    final KeyedOneInputStreamOperatorTestHarness<String, FoldInput, SinkRecord> harness;
    private long offset;

    FoldHarness(DeviceFold fold, String backend) throws Exception {
        JobManifest manifest =
                new JobManifest("device-events", 4, DeviceTwinJobOptions.parse().semantics());
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new DeviceTwinFunction(
                                        fold, false, new RecordedManifest(manifest, false))),
                        new FoldKeys.DeviceIdSelector(),
                        Types.STRING);
        harness.setStateBackend(backendNamed(backend));
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        harness.open();
    }

    static StateBackend backendNamed(String name) {
        return name.equals("rocksdb")
                ? new EmbeddedRocksDBStateBackend()
                : new HashMapStateBackend();
    }

    /** Pushes the event as a record of partition 0. */
    RawRecord push(DeviceEvent event) throws Exception {
        return push(event, 0);
    }

    RawRecord push(DeviceEvent event, int partition) throws Exception {
        RawRecord raw =
                RawRecords.of(
                        event.getDeviceId().getBytes(StandardCharsets.UTF_8),
                        ("bytes of " + event.getEventId()).getBytes(StandardCharsets.UTF_8),
                        "device-events",
                        partition,
                        offset++,
                        event.getEventTime().toEpochMilli());
        harness.processElement(FoldInputs.event(event, raw), event.getEventTime().toEpochMilli());
        return raw;
    }

    List<Object> values() {
        return harness.extractOutputValues().stream().map(SinkRecord::getValue).toList();
    }

    <T> List<T> values(Class<T> type) {
        return values().stream().filter(type::isInstance).map(type::cast).toList();
    }

    void clearOutput() {
        harness.getOutput().clear();
    }

    DeviceState stateOf(String device) throws Exception {
        return deviceState(device).value();
    }

    /** Replaces the device's stored state, as a bug of an earlier version could have left it. */
    void plant(String device, DeviceState state) throws Exception {
        deviceState(device).update(state);
    }

    /** The spilled buckets the backend holds for the device. */
    int bucketsOf(String device) throws Exception {
        harness.getOperator().getKeyedStateBackend().setCurrentKey(device);
        MapState<Integer, SeenIdBucket> buckets =
                harness.getOperator()
                        .getKeyedStateBackend()
                        .getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                Descriptors.SEEN_ID_BUCKETS);
        int count = 0;
        for (Integer ignored : buckets.keys()) {
            count++;
        }
        return count;
    }

    private ValueState<DeviceState> deviceState(String device) throws Exception {
        harness.getOperator().getKeyedStateBackend().setCurrentKey(device);
        return harness.getOperator()
                .getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        Descriptors.DEVICE_STATE);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
