package io.twinlog.jobs.functions;

import static io.twinlog.twin.DeviceEvents.registered;
import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.alerts.AlertRules;
import io.twinlog.jobs.config.DeviceTwinJobOptions;
import io.twinlog.jobs.config.JobManifest;
import io.twinlog.jobs.kafka.RawRecords;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.schema.state.SeenIdBucket;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fold operator on RocksDB over hours of event time, with the default options: every state is
 * read back through the real serializers before each event, so an operation that works only on
 * objects built on the heap (an Avro array's iterator cannot remove) fails here. The dedup memory
 * spills buckets every 32 ids and drops them once they leave the one-hour window.
 */
class DeviceTwinFunctionOnRocksDbTest {

    private KeyedOneInputStreamOperatorTestHarness<String, FoldInput, SinkRecord> harness;
    private long offset;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aDeviceWhoseOldestBucketsLeaveTheDedupWindowGoesOn() throws Exception {
        open(FoldSettings.defaults());
        push(registered("e0", "d1", seconds(0), "m", "1.0"));
        // 36 s apart: two hours of event time, the first buckets leave the window after an hour.
        for (int i = 1; i <= 200; i++) {
            push(telemetry("e" + i, "d1", seconds(36L * i), "temperature", 20));
        }

        assertThat(twins()).hasSize(201);
        DeviceTwin last = twins().get(200);
        assertThat(last.getCounters().getApplied()).isEqualTo(201);
        assertThat(last.getLastEvent().getEventId()).isEqualTo("e200");
        // One hour holds 100 ids: at most four buckets of 32 beside the newest ids in the state.
        assertThat(bucketsOf("d1")).isBetween(2, 4);
        assertThat(stateOf("d1").getSeenIdCount()).isBetween(100, 133);
    }

    @Test
    void aDuplicateOfAnIdInAnExpiredBucketIsLateNotApplied() throws Exception {
        open(FoldSettings.defaults());
        push(registered("e0", "d1", seconds(0), "m", "1.0"));
        for (int i = 1; i <= 200; i++) {
            push(telemetry("e" + i, "d1", seconds(36L * i), "temperature", 20));
        }
        push(telemetry("e150", "d1", seconds(36L * 150), "temperature", 20));
        push(telemetry("e3", "d1", seconds(36L * 3), "temperature", 20));

        DeviceTwin last = twins().get(twins().size() - 1);
        assertThat(last.getCounters().getDuplicates()).isEqualTo(1);
        assertThat(last.getCounters().getLate()).isEqualTo(1);
        assertThat(last.getCounters().getApplied()).isEqualTo(201);
    }

    @Test
    void aDeviceThatReachesTheIdBoundInsideTheWindowGoesOn() throws Exception {
        open(new FoldSettings(Duration.ofHours(1), Duration.ofHours(1), 500, Duration.ZERO));
        push(registered("e0", "d1", seconds(0), "m", "1.0"));
        // 2,000 events 1 s apart: the bound of 500 ids is reached four times inside the window.
        for (int i = 1; i <= 2_000; i++) {
            push(telemetry("e" + i, "d1", seconds(i), "temperature", 20));
        }

        assertThat(twins()).hasSize(2_001);
        assertThat(twins().get(2_000).getCounters().getApplied()).isEqualTo(2_001);
        // At most 500 ids: at most 500 / 32 + 1 buckets.
        assertThat(stateOf("d1").getSeenIdCount()).isLessThanOrEqualTo(500);
        assertThat(bucketsOf("d1")).isLessThanOrEqualTo(500 / 32 + 1);
    }

    private void open(FoldSettings settings) throws Exception {
        DeviceFold fold = new DeviceFold(settings, new AlertRules(List.of()));
        JobManifest manifest =
                new JobManifest("device-events", 1, DeviceTwinJobOptions.parse().semantics());
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new DeviceTwinFunction(
                                        fold, false, new RecordedManifest(manifest, false))),
                        new FoldKeys.DeviceIdSelector(),
                        Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        harness.open();
    }

    private void push(DeviceEvent event) throws Exception {
        byte[] key = event.getDeviceId().getBytes(StandardCharsets.UTF_8);
        harness.processElement(
                FoldInputs.event(
                        event,
                        RawRecords.of(
                                key,
                                new byte[] {0},
                                "device-events",
                                0,
                                offset++,
                                event.getEventTime().toEpochMilli())),
                event.getEventTime().toEpochMilli());
    }

    /** The spilled buckets RocksDB holds for the device. */
    private int bucketsOf(String device) throws Exception {
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
        assertThat(stateOf(device).getSeenIds().getSpilled()).hasSize(count);
        return count;
    }

    private DeviceState stateOf(String device) throws Exception {
        harness.getOperator().getKeyedStateBackend().setCurrentKey(device);
        ValueState<DeviceState> state =
                harness.getOperator()
                        .getKeyedStateBackend()
                        .getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                Descriptors.DEVICE_STATE);
        return state.value();
    }

    private List<DeviceTwin> twins() {
        return harness.extractOutputValues().stream()
                .map(SinkRecord::getValue)
                .filter(DeviceTwin.class::isInstance)
                .map(DeviceTwin.class::cast)
                .toList();
    }
}
