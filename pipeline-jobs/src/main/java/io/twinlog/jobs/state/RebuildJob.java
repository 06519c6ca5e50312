package io.twinlog.jobs.state;

import io.twinlog.jobs.functions.RecordedManifest;
import io.twinlog.jobs.functions.RouteRecords;
import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.jobs.topology.Uids;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.JobManifest;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RulesMarker;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.state.ActivatedRules;
import io.twinlog.twin.DeviceFold;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.TopicPartition;

/**
 * Rebuilds DeviceTwinJob's state from the event log into a new savepoint, with the State Processor
 * API in batch mode: the log from its earliest offsets up to the given ones, admitted and folded by
 * the same code as the live job (the fold operator's keyed state and silence timers, under its
 * uid). The savepoint holds no source state; {@link RebuildMetadata} next to it tells the live job
 * where to continue.
 */
public final class RebuildJob {

    public static final String READ_ACCUMULATOR = "records-read";

    private final DeviceTwinJobOptions options;
    private final Map<Integer, Long> until;
    private final String savepointDirectory;

    /**
     * @param until per partition of the event log, the offset after the last record to replay
     */
    public RebuildJob(
            DeviceTwinJobOptions options, Map<Integer, Long> until, String savepointDirectory) {
        this.options = options;
        this.until = Map.copyOf(until);
        this.savepointDirectory = savepointDirectory;
    }

    /**
     * Batch execution, which the State Processor API needs. Generic types stay allowed here: the
     * API passes its own internal records (subtask state handles) through Kryo; twinlog's records
     * carry explicit Avro type information, as in the live job, which runs with generic types
     * disabled.
     */
    public static Configuration configuration() {
        Configuration configuration = new Configuration();
        configuration.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        // Fixed parallelism: with automatic parallelism the batch scheduler may hand a bootstrap
        // subtask
        // keys outside the key groups its state backend was built for, and that subtask then fails
        // silently (see RebuildFoldFunction).
        configuration.set(BatchExecutionOptions.ADAPTIVE_AUTO_PARALLELISM_ENABLED, false);
        return configuration;
    }

    /**
     * Reads the rules markers of the replayed range (a pass over the log), then builds the rebuild.
     */
    public void build(StreamExecutionEnvironment env) throws IOException {
        build(env, RulesInLog.read(options, until));
    }

    void build(StreamExecutionEnvironment env, RulesInLog rules) {
        String topic = options.topics().events();
        Map<TopicPartition, Long> stops = new HashMap<>();
        until.forEach(
                (partition, offset) -> stops.put(new TopicPartition(topic, partition), offset));

        // Timestamps are the offsets: batch mode sorts each key's records by timestamp, and a
        // device's records all live in one partition, so this sorts them into log order.
        DataStream<FoldInput> events =
                env.fromSource(
                                KafkaIo.boundedSource(options, OffsetsInitializer.offsets(stops)),
                                WatermarkStrategy.<IngestedRecord>noWatermarks()
                                        .withTimestampAssigner(RebuildJob::offsetOf),
                                "device-events (replay)")
                        .map(new CountRecords())
                        .returns(new AvroTypeInfo<>(IngestedRecord.class))
                        .name("Count records")
                        .process(new RouteRecords())
                        .returns(new AvroTypeInfo<>(FoldInput.class))
                        .name("Route records, stamp rules versions");

        StateBootstrapTransformation<FoldInput> fold =
                OperatorTransformation.bootstrapWith(events)
                        .keyBy(new FoldKeys.DeviceIdSelector())
                        .transform(
                                new RebuildFoldFunction(
                                        new DeviceFold(options.foldSettings(), options.rules()),
                                        rules.published(),
                                        new RecordedManifest(
                                                new JobManifest(
                                                        topic, until.size(), options.semantics()),
                                                false)));

        SavepointWriter savepoint =
                SavepointWriter.newSavepoint(
                                env,
                                new EmbeddedRocksDBStateBackend(true),
                                FoldKeys.MAX_PARALLELISM)
                        .withOperator(OperatorIdentifier.forUid(Uids.DEVICE_TWIN_FOLD), fold);
        if (!rules.activated().isEmpty()) {
            savepoint.withOperator(
                    OperatorIdentifier.forUid(Uids.ROUTE_DEAD_LETTERS),
                    OperatorTransformation.bootstrapWith(
                                    env.fromData(
                                            RouteRecords.toState(rules.activated()),
                                            new AvroTypeInfo<>(ActivatedRules.class)))
                            .transform(new ActivatedRulesBootstrap()));
        }
        savepoint.write(savepointDirectory);
    }

    /**
     * Checks what the finished rebuild reported and writes the metadata that positions the live
     * job's source after the replayed range.
     *
     * @throws IllegalStateException when the fold reported errors: the savepoint must not be used
     */
    public RebuildMetadata complete(Map<String, Object> accumulators) throws IOException {
        List<String> errors = RebuildFoldFunction.errorsOf(accumulators);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(
                    "the rebuild failed; do not use " + savepointDirectory + ": " + errors);
        }
        Object read = accumulators.get(READ_ACCUMULATOR);
        long records = read == null ? 0 : (Long) read;
        RebuildMetadata metadata =
                new RebuildMetadata(options.topics().events(), until, records, Instant.now());
        metadata.writeTo(savepointDirectory);
        return metadata;
    }

    private static long offsetOf(IngestedRecord record, long kafkaTimestamp) {
        Object value = record.getValue();
        if (value instanceof SourcedEvent sourced) {
            return sourced.getRaw().getPosition().getOffset();
        }
        if (value instanceof RulesMarker marker) {
            return marker.getRaw().getPosition().getOffset();
        }
        return ((DeadLetter) value).getRaw().getPosition().getOffset();
    }

    /** Progress: records read from the log. */
    private static final class CountRecords
            extends RichMapFunction<IngestedRecord, IngestedRecord> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter read;

        @Override
        public void open(OpenContext openContext) {
            read = new LongCounter();
            getRuntimeContext().addAccumulator(READ_ACCUMULATOR, read);
        }

        @Override
        public IngestedRecord map(IngestedRecord record) {
            read.add(1);
            return record;
        }
    }
}
