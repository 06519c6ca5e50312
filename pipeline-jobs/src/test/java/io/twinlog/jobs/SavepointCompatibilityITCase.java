package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.connect.RawRecords;
import io.twinlog.jobs.state.DeviceSnapshot;
import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.jobs.state.StateComparison;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.twin.DeviceTwin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Users upgrade by stopping with a savepoint and starting the new version from it. Every savepoint
 * committed under {@code src/test/resources/savepoints/} (one per release, see {@link
 * SavepointGeneratorITCase}) must restore into today's job with no flags, hold the states it was
 * generated with, verify against today's fold of its log, and continue the log exactly.
 */
class SavepointCompatibilityITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    private static final String ADDED_OPERATOR = "test-added-record-counter";

    @TempDir static Path dir;

    static Stream<CommittedSavepoint> committedSavepoints() throws IOException {
        try (Stream<Path> versions = Files.list(CommittedSavepoint.ROOT)) {
            List<CommittedSavepoint> savepoints =
                    versions.filter(Files::isDirectory)
                            .sorted()
                            .map(CommittedSavepoint::new)
                            .toList();
            assertThat(savepoints).isNotEmpty();
            return savepoints.stream();
        }
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @MethodSource("committedSavepoints")
    void restoresWithItsStatesAndContinuesTheLogExactly(CommittedSavepoint committed)
            throws Exception {
        assertThat(SavepointContents.deviceStates(committed.uri())).hasSizeGreaterThan(10);
        restoreAndContinue(committed, UnaryOperator.identity(), true);
    }

    @Test
    void theOldestSavepointRestoresIntoAJobWithAnAddedStatefulOperator() throws Exception {
        CommittedSavepoint oldest = committedSavepoints().findFirst().orElseThrow();

        restoreAndContinue(
                oldest,
                outputs ->
                        outputs.keyBy(SavepointCompatibilityITCase::typeOf)
                                .process(new CountRecordsPerType())
                                .returns(new AvroTypeInfo<>(SinkRecord.class))
                                .uid(ADDED_OPERATOR)
                                .name("Count records per type"),
                false);
    }

    @Test
    void stateOfAnOperatorTheJobDoesNotHaveIsReportedAndFlinkRefusesIt() throws Exception {
        CommittedSavepoint oldest = committedSavepoints().findFirst().orElseThrow();
        String withRetired = dir.resolve("with-retired-operator").toUri().toString();
        DeviceStateSavepoints.withExtraOperator(
                oldest.uri(),
                "retired-operator",
                SavepointContents.deviceStates(oldest.uri()).values(),
                withRetired);

        try (PipelineFixture fixture =
                PipelineFixture.start(Files.createDirectories(dir.resolve("retired")))) {
            TopicNames topics = PipelineFixture.topics(CommittedSavepoint.TOPICS);
            fixture.createTopics(topics);
            DeviceTwinJobOptions options = fixture.options("retired", topics, oldest.settings());

            assertThat(RestoreCheck.droppedOperators(oldest.uri(), options)).isEmpty();
            assertThat(RestoreCheck.droppedOperators(withRetired, options))
                    .singleElement()
                    .asString()
                    .startsWith(
                            "operator "
                                    + OperatorIdentifier.forUid("retired-operator").getOperatorId()
                                    + " (");
            assertThatThrownBy(
                            () ->
                                    fixture.startJob("retired", options, withRetired, null)
                                            .getJobExecutionResult()
                                            .get())
                    .hasStackTraceContaining("allowNonRestoredState");
        }
    }

    /**
     * Recreates the savepoint's log in a new Kafka cluster (same schema ids, same offsets),
     * restores the savepoint with the given operators before the sink, appends the continuation
     * scenario and checks the job writes exactly what a fold of the whole log writes after the
     * savepoint's part.
     */
    private void restoreAndContinue(
            CommittedSavepoint committed,
            UnaryOperator<DataStream<SinkRecord>> beforeSink,
            boolean verify)
            throws Exception {
        String run = "compat-" + committed.version() + (verify ? "" : "-topology");
        try (PipelineFixture fixture =
                PipelineFixture.start(Files.createDirectories(dir.resolve(run)))) {
            TopicNames topics = PipelineFixture.topics(CommittedSavepoint.TOPICS);
            fixture.createTopics(topics);
            List<RawRecord> log = recreateLog(fixture, committed, topics);
            DeviceTwinJobOptions options = fixture.options(run, topics, committed.settings());
            if (verify) {
                Map<Integer, Long> covered =
                        SavepointContents.coverage(committed.uri()).nextOffsets();
                Map<String, DeviceSnapshot> saved = SavepointContents.devices(committed.uri());
                // The twins it holds, read with today's schemas, are what the specification makes
                // of its log.
                Map<String, DeviceTwin> twins = new TreeMap<>();
                saved.forEach((device, snapshot) -> twins.put(device, snapshot.state().getTwin()));
                assertThat(twins).isEqualTo(fixture.specifiedTwins(options, log, covered));
                assertThat(differences(saved, fixture.replay(options, topics, covered)))
                        .as("state verify")
                        .isEmpty();
            }
            assertThat(RestoreCheck.droppedOperators(committed.uri(), options)).isEmpty();

            JobClient job = fixture.startJob(run, options, committed.uri(), null, beforeSink);
            try {
                List<Scenario.Record> earlier =
                        committed.log().stream()
                                .map(
                                        r ->
                                                new Scenario.Record(
                                                        null, r.key(), r.value(), 0, r.label()))
                                .toList();
                List<Scenario.Record> more =
                        Scenario.continuation(fixture.registryClient, topics, earlier);
                List<RawRecord> whole = new ArrayList<>(log);
                whole.addAll(
                        PipelineFixture.positioned(topics, more, fixture.produce(topics, more)));
                OutputRecords expected =
                        fixture.reference(options, topics, PipelineFixture.inLogOrder(whole))
                                .after(fixture.reference(options, topics, log));
                assertThat(expected.twins).containsKeys("new-1", "thermo-1", "gap-1");
                fixture.assertOutputsSettleAt(job, topics, expected);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The committed log at its original offsets, with its schemas under their original ids. */
    private static List<RawRecord> recreateLog(
            PipelineFixture fixture, CommittedSavepoint committed, TopicNames topics)
            throws Exception {
        for (Map.Entry<Integer, String> schema : committed.schemas().entrySet()) {
            assertThat(
                            fixture.registryClient.register(
                                    TopicNames.valueSubject(topics.events()),
                                    new Schema.Parser().parse(schema.getValue())))
                    .as("the registry id of a committed schema (register them in id order)")
                    .isEqualTo(schema.getKey());
        }
        List<CommittedSavepoint.LogRecord> records = committed.log();
        List<RecordMetadata> positions =
                fixture.kafka.sendPlain(
                        records.stream()
                                .map(
                                        r ->
                                                new ProducerRecord<>(
                                                        topics.events(),
                                                        r.partition(),
                                                        r.timestamp(),
                                                        r.key(),
                                                        r.value()))
                                .toList());
        List<RawRecord> log = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            CommittedSavepoint.LogRecord record = records.get(i);
            assertThat(positions.get(i).offset())
                    .as("offset of %s", record.label())
                    .isEqualTo(record.offset());
            log.add(
                    RawRecords.of(
                            record.key(),
                            record.value(),
                            topics.events(),
                            record.partition(),
                            record.offset(),
                            record.timestamp()));
        }
        return PipelineFixture.inLogOrder(log);
    }

    private static List<String> differences(
            Map<String, DeviceSnapshot> actual, Map<String, DeviceSnapshot> expected) {
        return StateComparison.of(actual, expected, "the savepoint", "expected").differences();
    }

    private static String typeOf(SinkRecord record) {
        return record.getValue().getClass().getSimpleName();
    }

    /** A stateful operator that a later version might add: counts the records of each type. */
    private static final class CountRecordsPerType
            extends KeyedProcessFunction<String, SinkRecord, SinkRecord> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("records", Types.LONG));
        }

        @Override
        public void processElement(SinkRecord record, Context ctx, Collector<SinkRecord> out)
                throws Exception {
            Long current = count.value();
            count.update(current == null ? 1 : current + 1);
            out.collect(record);
        }
    }
}
