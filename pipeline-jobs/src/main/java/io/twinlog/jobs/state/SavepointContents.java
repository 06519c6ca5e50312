package io.twinlog.jobs.state;

import io.twinlog.jobs.functions.KeyedDeviceState;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.jobs.topology.Uids;
import io.twinlog.options.JobManifest;
import io.twinlog.schema.state.DeviceState;
import io.twinlog.twin.ActiveAlerts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplitSerializer;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * Reads a DeviceTwinJob savepoint (or retained checkpoint) with the State Processor API: the state
 * of every device, and the event-log offsets the savepoint covers.
 */
public final class SavepointContents {

    /** The offsets after the last record a savepoint includes, per partition of a topic. */
    public record Coverage(String topic, Map<Integer, Long> nextOffsets, boolean rebuilt) {
        public long records() {
            return nextOffsets.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final String SOURCE_READER_STATE = "SourceReaderState";

    private SavepointContents() {}

    /**
     * Every device's state, by device id, with the fields that are derived from other state set as
     * the current version sets them (states written by an older version lack them until the
     * device's next event; see docs/UPGRADES.md).
     */
    public static Map<String, DeviceState> deviceStates(String savepoint) {
        Map<String, DeviceState> states = new TreeMap<>();
        devices(savepoint).forEach((device, snapshot) -> states.put(device, snapshot.state()));
        return states;
    }

    /** Every device's state, as {@link #deviceStates}, with its dedup memory. */
    public static Map<String, DeviceSnapshot> devices(String savepoint) {
        try {
            return readDevices(savepoint);
        } catch (Exception e) {
            throw new UnreadableSavepointException(savepoint, e);
        }
    }

    private static Map<String, DeviceSnapshot> readDevices(String savepoint) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(RebuildJob.configuration());
        env.setParallelism(1);
        Map<String, DeviceSnapshot> devices = new TreeMap<>();
        try (CloseableIterator<Tuple2<DeviceState, Map<String, Long>>> read =
                SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend())
                        .readKeyedState(
                                OperatorIdentifier.forUid(Uids.DEVICE_TWIN_FOLD),
                                new DeviceReader(),
                                Types.STRING,
                                Types.TUPLE(
                                        new AvroTypeInfo<>(DeviceState.class),
                                        Types.MAP(Types.STRING, Types.LONG)))
                        .executeAndCollect("twinlog: read device states")) {
            read.forEachRemaining(
                    device ->
                            devices.put(
                                    device.f0.getTwin().getDeviceId(),
                                    new DeviceSnapshot(
                                            ActiveAlerts.refresh(device.f0), device.f1)));
        }
        return devices;
    }

    /**
     * What part of the event log the savepoint covers: from the Kafka source's state (the offset it
     * would read next, per partition), or for a savepoint rebuilt from the log, from its metadata.
     */
    public static Coverage coverage(String savepoint) {
        try {
            return readCoverage(savepoint);
        } catch (UnreadableSavepointException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new UnreadableSavepointException(savepoint, e);
        }
    }

    /**
     * What the savepoint's state was built from, as the job recorded it; empty for a state written
     * by twinlog 0.2.0 or earlier, which recorded nothing.
     */
    public static Optional<JobManifest> manifest(String savepoint) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(RebuildJob.configuration());
        env.setParallelism(1);
        try (CloseableIterator<String> read =
                SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend())
                        .readUnionState(
                                OperatorIdentifier.forUid(Uids.DEVICE_TWIN_FOLD),
                                Descriptors.JOB_MANIFEST.getName(),
                                Types.STRING)
                        .executeAndCollect("twinlog: read the job manifest")) {
            return read.hasNext()
                    ? Optional.of(JobManifest.fromJson(read.next()))
                    : Optional.empty();
        } catch (Exception e) {
            throw new UnreadableSavepointException(savepoint, e);
        }
    }

    private static Coverage readCoverage(String savepoint) throws Exception {
        Optional<RebuildMetadata> rebuilt = RebuildMetadata.readFrom(savepoint);
        if (rebuilt.isPresent()) {
            return new Coverage(rebuilt.get().topic(), rebuilt.get().nextOffsets(), true);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(RebuildJob.configuration());
        env.setParallelism(1);
        List<byte[]> splits = new ArrayList<>();
        try (CloseableIterator<byte[]> read =
                SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend())
                        .readListState(
                                OperatorIdentifier.forUid(Uids.EVENTS_SOURCE),
                                SOURCE_READER_STATE,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .executeAndCollect("twinlog: read source offsets")) {
            read.forEachRemaining(splits::add);
        }
        KafkaPartitionSplitSerializer serializer = new KafkaPartitionSplitSerializer();
        String topic = null;
        Map<Integer, Long> offsets = new TreeMap<>();
        for (byte[] bytes : splits) {
            KafkaPartitionSplit split =
                    SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, bytes);
            topic = split.getTopic();
            offsets.put(split.getPartition(), split.getStartingOffset());
        }
        if (topic == null) {
            throw new IllegalStateException(
                    savepoint
                            + " holds no Kafka source state and no "
                            + RebuildMetadata.FILE_NAME
                            + ": it is not a DeviceTwinJob savepoint");
        }
        return new Coverage(topic, offsets, false);
    }

    /**
     * Emits the state of each device with its dedup memory as a map: how the memory is laid out in
     * state (in the state itself and in buckets, or before 0.4.0 in a map state) is not compared.
     */
    private static final class DeviceReader
            extends KeyedStateReaderFunction<String, Tuple2<DeviceState, Map<String, Long>>> {
        private static final long serialVersionUID = 1L;
        private transient KeyedDeviceState state;

        @Override
        public void open(OpenContext openContext) {
            state = KeyedDeviceState.forReading(getRuntimeContext());
        }

        @Override
        public void readKey(
                String device, Context ctx, Collector<Tuple2<DeviceState, Map<String, Long>>> out) {
            DeviceState value = state.value();
            if (value != null) {
                Map<String, Long> ids = state.seenIds(value);
                value.setSeenIds(null);
                out.collect(Tuple2.of(value, ids));
            }
        }
    }
}
