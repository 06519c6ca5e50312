package io.twinlog.jobs;

import io.twinlog.jobs.functions.DeviceTwinFunction;
import io.twinlog.jobs.functions.RecordedManifest;
import io.twinlog.jobs.functions.RouteRecords;
import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.kafka.Preflight;
import io.twinlog.jobs.kafka.PreflightException;
import io.twinlog.jobs.state.RebuildMetadata;
import io.twinlog.jobs.state.SinkLayout;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.jobs.topology.FoldKeys;
import io.twinlog.jobs.topology.Uids;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.FoldOptions;
import io.twinlog.options.JobManifest;
import io.twinlog.options.RuntimeOptions;
import io.twinlog.options.SourceOptions;
import io.twinlog.schema.internal.FoldInput;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.twin.DeviceFold;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the device event log into digital twins: source (decode) -> route dead letters and stamp
 * each event with its rules version -> keyBy device -> fold -> an exactly-once sink for twins,
 * derived events, alerts, late events and silence observations; the dead letters go to a sink of
 * their own. The topology takes its source and sinks from the caller; {@link #main} wires Kafka
 * from the options.
 */
public final class DeviceTwinJob {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceTwinJob.class);

    private final DeviceFold fold;
    private final Duration outOfOrderness;
    private final Duration idleTimeout;
    private final boolean writeSilenceObservations;
    private final RecordedManifest manifest;

    public DeviceTwinJob(
            DeviceFold fold,
            Duration outOfOrderness,
            Duration idleTimeout,
            boolean writeSilenceObservations,
            RecordedManifest manifest) {
        this.fold = fold;
        this.outOfOrderness = outOfOrderness;
        this.idleTimeout = idleTimeout;
        this.writeSilenceObservations = writeSilenceObservations;
        this.manifest = manifest;
    }

    /**
     * @param eventPartitions partitions of the event log now: recorded with the state, checked on
     *     restore
     */
    public static DeviceTwinJob from(DeviceTwinJobOptions options, int eventPartitions) {
        JobManifest manifest =
                new JobManifest(options.topics().events(), eventPartitions, options.semantics());
        return new DeviceTwinJob(
                new DeviceFold(options.foldSettings(), options.rules()),
                options.get(SourceOptions.OUT_OF_ORDERNESS),
                options.get(SourceOptions.IDLE_TIMEOUT),
                options.get(FoldOptions.SILENCE_OBSERVATIONS),
                new RecordedManifest(manifest, options.get(FoldOptions.ACCEPT_OPTION_CHANGE)));
    }

    /**
     * What the job writes: the fold's records, and the dead letters of records that never reached
     * it. Two streams for two sinks, so that the fold's sink has one input and chains with the
     * fold: a union in front of it would put every output record through Flink's network
     * serialization (docs/BENCHMARKS.md, where the time goes).
     */
    public record Outputs(DataStream<SinkRecord> folded, DataStream<SinkRecord> deadLetters) {

        /**
         * The same outputs with operators inserted after the fold (a topology change, in tests).
         */
        public Outputs mapFolded(UnaryOperator<DataStream<SinkRecord>> operators) {
            return new Outputs(operators.apply(folded), deadLetters);
        }
    }

    /**
     * Adds the job's operators to the environment, between the given source and sinks.
     *
     * @param sinkChained whether the fold's sink chains to the fold ({@link SinkLayout}: not when
     *     restoring a savepoint of a release that ran it apart)
     */
    public void build(
            StreamExecutionEnvironment env,
            Source<IngestedRecord, ?, ?> source,
            Sink<SinkRecord> sink,
            Sink<SinkRecord> deadLetterSink,
            boolean sinkChained) {
        writeTo(outputs(env, source), sink, deadLetterSink, sinkChained);
    }

    /** The job up to its sinks. */
    public Outputs outputs(StreamExecutionEnvironment env, Source<IngestedRecord, ?, ?> source) {
        WatermarkStrategy<IngestedRecord> watermarks =
                WatermarkStrategy.<IngestedRecord>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner(new EventTimeAssigner())
                        .withIdleness(idleTimeout);

        SingleOutputStreamOperator<FoldInput> events =
                env.fromSource(source, watermarks, "device-events")
                        .uid(Uids.EVENTS_SOURCE)
                        .process(new RouteRecords())
                        .returns(new AvroTypeInfo<>(FoldInput.class))
                        .uid(Uids.ROUTE_DEAD_LETTERS)
                        .name("Route records, stamp rules versions");

        // The routing operator sends each rules version to the fold subtasks it counts from its own
        // parallelism (FoldKeys.routes): the fold must keep the same parallelism, so neither sets
        // one of its own.
        SingleOutputStreamOperator<SinkRecord> folded =
                events.keyBy(new FoldKeys.DeviceIdSelector())
                        .process(new DeviceTwinFunction(fold, writeSilenceObservations, manifest))
                        .returns(new AvroTypeInfo<>(SinkRecord.class))
                        .setMaxParallelism(FoldKeys.MAX_PARALLELISM)
                        .uid(Uids.DEVICE_TWIN_FOLD)
                        .name("Device twin fold");

        return new Outputs(folded, events.getSideOutput(Descriptors.DEAD_LETTERS));
    }

    public static void writeTo(
            Outputs outputs,
            Sink<SinkRecord> sink,
            Sink<SinkRecord> deadLetterSink,
            boolean sinkChained) {
        DataStreamSink<SinkRecord> folded =
                outputs.folded().sinkTo(sink).uid(Uids.OUTPUTS_SINK).name("twinlog outputs");
        if (!sinkChained) {
            folded.disableChaining();
        }
        outputs.deadLetters()
                .sinkTo(deadLetterSink)
                .uid(Uids.DEAD_LETTERS_SINK)
                .name("Dead letters");
    }

    /** Settings every twinlog job runs with, whatever the cluster's defaults. */
    public static Configuration requiredConfiguration() {
        Configuration configuration = new Configuration();
        // No Kryo: a type that would need it fails the job at submission instead.
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        // No operator keeps or changes a record after emitting it (the sinks serialize at once), so
        // chained operators can hand records on without Flink's defensive deep copy.
        configuration.set(PipelineOptions.OBJECT_REUSE, true);
        return configuration;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(DeviceTwinJobOptions.usage());
            return;
        }
        DeviceTwinJobOptions options;
        try {
            options = DeviceTwinJobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            throw new PreflightException("job options: " + e.getMessage(), e);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration(options));
        configure(env, options, KafkaIo.deserializer(options), UnaryOperator.identity());
        env.execute(JOB_NAME);
    }

    /** The job's name on the cluster; the CLI finds its jobs by it. */
    public static final String JOB_NAME = "twinlog DeviceTwinJob";

    /** The settings every twinlog job runs with, plus the state backend the options ask for. */
    public static Configuration configuration(DeviceTwinJobOptions options) {
        Configuration configuration = requiredConfiguration();
        if (!options.get(RuntimeOptions.STATE_BACKEND).equals("cluster")) {
            configuration.set(
                    StateBackendOptions.STATE_BACKEND, options.get(RuntimeOptions.STATE_BACKEND));
        }
        return configuration;
    }

    /**
     * Everything {@link #main} does between parsing the options and executing: the preflight
     * checks, checkpointing and parallelism, the source positioned for the state being restored
     * (the environment's savepoint path), the sinks laid out for it, the options as job parameters.
     * The integration tests run exactly this, with a deserializer or operators of their own.
     *
     * @param beforeSink operators inserted between the fold and its sink (identity in production)
     */
    public static void configure(
            StreamExecutionEnvironment env,
            DeviceTwinJobOptions options,
            KafkaRecordDeserializationSchema<IngestedRecord> deserializer,
            UnaryOperator<DataStream<SinkRecord>> beforeSink)
            throws IOException {
        Optional<String> restoringFrom =
                env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH);
        LOG.info(
                "DeviceTwinJob options: {}; restoring from: {}",
                options,
                restoringFrom.orElse("nothing"));
        Preflight.Findings preflight = Preflight.check(options, restoringFrom.isPresent());
        env.enableCheckpointing(
                options.get(RuntimeOptions.CHECKPOINT_INTERVAL).toMillis(),
                options.exactlyOnce()
                        ? CheckpointingMode.EXACTLY_ONCE
                        : CheckpointingMode.AT_LEAST_ONCE);
        if (options.get(RuntimeOptions.PARALLELISM) > 0) {
            env.setParallelism(options.get(RuntimeOptions.PARALLELISM));
        }
        env.getConfig().setGlobalJobParameters(ParameterTool.fromMap(options.asText()));
        Outputs outputs =
                from(options, preflight.eventPartitions())
                        .outputs(
                                env,
                                KafkaIo.source(
                                        options,
                                        startOffsets(options, restoringFrom),
                                        deserializer));
        writeTo(
                outputs.mapFolded(beforeSink),
                KafkaIo.sink(options),
                KafkaIo.deadLetterSink(options),
                SinkLayout.chainedToFold(restoringFrom));
    }

    /**
     * Where the source starts when the restored state has no source state of its own: a savepoint
     * rebuilt from the log says where its replay ended. Otherwise: the earliest offsets (a job
     * without state folds the whole log), or the offsets in the restored source state.
     */
    static Map<Integer, Long> startOffsets(
            DeviceTwinJobOptions options, Optional<String> restoringFrom) throws IOException {
        if (restoringFrom.isEmpty()) {
            return Map.of();
        }
        Optional<RebuildMetadata> rebuilt = RebuildMetadata.readFrom(restoringFrom.get());
        if (rebuilt.isEmpty()) {
            return Map.of();
        }
        if (!rebuilt.get().topic().equals(options.topics().events())) {
            throw new IllegalStateException(
                    "the savepoint was rebuilt from topic "
                            + rebuilt.get().topic()
                            + " but the job reads "
                            + options.topics().events()
                            + " (--topic.events)");
        }
        LOG.info(
                "Restoring a savepoint rebuilt from the log: the source starts at {}",
                rebuilt.get().nextOffsets());
        return rebuilt.get().nextOffsets();
    }
}
