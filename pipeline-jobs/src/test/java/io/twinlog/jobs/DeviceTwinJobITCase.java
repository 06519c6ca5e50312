package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeviceTwinJob end to end: a real Kafka broker, the development registry, a MiniCluster with
 * RocksDB, parallelism 2 and exactly-once checkpoints. Every output topic is read with
 * read_committed and compared with the exact records of the reference model (admission plus fold,
 * without Flink); then a run with a failure in the middle and a run over another interleaving of
 * devices must write the same records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceTwinJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    @TempDir static Path dir;

    private PipelineFixture fixture;
    private Run normalRun;

    @BeforeAll
    void start() throws Exception {
        fixture = PipelineFixture.start(dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void writesExactlyTheRecordsOfTheReferenceModel() throws Exception {
        Run run = normalRun();

        assertThat(run.actual.differencesFrom(run.expected)).isEmpty();
        // Spot checks that the scenario exercised what it is meant to.
        assertThat(run.actual.deadLetters).hasSize(10);
        assertThat(run.actual.deadLetters)
                .extracting(f -> f.headers().get("twinlog.errors.reason"))
                .containsOnly(
                        "MISSING_VALUE",
                        "MISSING_KEY",
                        "NOT_WIRE_FORMAT",
                        "UNKNOWN_SCHEMA_ID",
                        "MALFORMED_AVRO",
                        "CONTRACT_VIOLATION",
                        "EVENT_TIME_AHEAD",
                        "KEY_MISMATCH");
        assertThat(run.actual.late)
                .singleElement()
                .satisfies(
                        late ->
                                assertThat(late.headers())
                                        .containsEntry(
                                                "twinlog.late.device-last-seen",
                                                Long.toString(
                                                        io.twinlog.twin.DeviceEvents.seconds(100)
                                                                .toEpochMilli())));
        assertThat(run.actual.alerts.get("thermo-1"))
                .extracting(
                        a -> a.getRuleId() + " " + a.getStatus() + " " + a.getCause().getEventId())
                .startsWith(
                        "temperature-high RAISED thermo-1-e3",
                                "temperature-high CLEARED thermo-1-e6",
                        "temperature-high RAISED thermo-1-e7", "device-silent RAISED thermo-1-e7");
        assertThat(run.actual.alerts.get("thermo-2"))
                .extracting(
                        a -> a.getRuleId() + " " + a.getStatus() + " " + a.getCause().getEventId())
                .startsWith(
                        "temperature-high RAISED thermo-2-e1",
                                "temperature-hot-30s RAISED thermo-2-e4",
                        "temperature-high CLEARED thermo-2-e5",
                                "temperature-hot-30s CLEARED thermo-2-e5");
        assertThat(run.actual.alerts.get("silent-1"))
                .extracting(a -> a.getRuleId() + " " + a.getStatus())
                .containsExactly("device-silent RAISED");
        assertThat(run.actual.twins.get("dup-1"))
                .last()
                .satisfies(twin -> assertThat(twin.getCounters().getDuplicates()).isEqualTo(2));
        assertThat(run.actual.twins.get("chatty-1"))
                .last()
                .satisfies(twin -> assertThat(twin.getCounters().getDuplicates()).isEqualTo(1));
        assertThat(run.actual.twinEvents.get("decom-1"))
                .extracting(e -> e.getPayload().getClass().getSimpleName())
                .containsExactly("Registered", "Decommissioned", "EventRejected", "EventRejected");
    }

    @Test
    void aFailureInTheMiddleChangesNoRecord() throws Exception {
        Run failed = run("failover", scenario(), true, Scenario.FAILURE_MARKER);

        assertThat(FailOnceOnEvent.FAILED).contains("failover");
        assertThat(failed.actual.differencesFrom(failed.expected)).isEmpty();
        assertThat(
                        failed.actual
                                .withEventTopic("log")
                                .differencesFrom(normalRun().actual.withEventTopic("log")))
                .isEmpty();
        assertThat(failed.uncommitted)
                .as(
                        "read_uncommitted also sees the aborted transaction's records: the sink is transactional")
                .isGreaterThan(failed.committed);
    }

    @Test
    void anotherInterleavingOfDevicesWritesTheSameRecordsPerDevice() throws Exception {
        Run shuffled =
                run("shuffled", Scenario.interleavedDifferently(scenario(), 42), false, null);

        assertThat(shuffled.actual.differencesFrom(shuffled.expected)).isEmpty();
        assertThat(
                        shuffled.actual
                                .withEventTopic("log")
                                .withoutPositions()
                                .differencesFrom(
                                        normalRun()
                                                .actual
                                                .withEventTopic("log")
                                                .withoutPositions()))
                .isEmpty();
    }

    private synchronized Run normalRun() throws Exception {
        if (normalRun == null) {
            normalRun = run("normal", scenario(), true, null);
        }
        return normalRun;
    }

    private List<Scenario.Record> scenario() throws IOException {
        return Scenario.build(fixture.registryClient, PipelineFixture.topics("scenario"));
    }

    /** A run on its own topics: produce, start the job, wait for the outputs, compare, cancel. */
    private Run run(String name, List<Scenario.Record> records, boolean twoBatches, String failOn)
            throws Exception {
        TopicNames topics = PipelineFixture.topics(name);
        fixture.createTopics(topics);
        DeviceTwinJobOptions options = fixture.options(name, topics);

        List<Scenario.Record> first =
                twoBatches
                        ? records.stream().filter(Scenario.Record::firstBatch).toList()
                        : records;
        List<Scenario.Record> second =
                twoBatches ? records.stream().filter(r -> !r.firstBatch()).toList() : List.of();
        List<RecordMetadata> positions = new ArrayList<>(fixture.produce(topics, first));
        JobClient job =
                fixture.startJob(
                        name,
                        options,
                        null,
                        failOn == null
                                ? null
                                : new FailOnceOnEvent(KafkaIo.deserializer(options), failOn, name));
        try {
            if (!second.isEmpty()) {
                fixture.awaitCommittedOutput(topics);
                positions.addAll(fixture.produce(topics, second));
            }
            List<Scenario.Record> produced = new ArrayList<>(first);
            produced.addAll(second);
            OutputRecords expected =
                    fixture.reference(
                            options,
                            topics,
                            PipelineFixture.positioned(topics, produced, positions));
            fixture.awaitOutputs(topics, expected);
            // A few more checkpoints: nothing may follow.
            Thread.sleep(3 * PipelineFixture.CHECKPOINT_INTERVAL.toMillis());
            OutputRecords actual = fixture.read(topics, "read_committed");
            int uncommitted = fixture.read(topics, "read_uncommitted").size();
            return new Run(expected, actual, actual.size(), uncommitted);
        } finally {
            job.cancel().get();
        }
    }

    private record Run(
            OutputRecords expected, OutputRecords actual, int committed, int uncommitted) {}
}
