package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.state.DeviceSnapshot;
import io.twinlog.jobs.state.RebuildJob;
import io.twinlog.jobs.state.RebuildMetadata;
import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.jobs.state.StateComparison;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.state.DeviceState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log is the truth and state a cache of it: a savepoint of the live job (which failed once on
 * the way) and a savepoint rebuilt from the log hold the same states, both agree with a fold of the
 * log outside Flink, a corrupted savepoint is caught, and a live job resumed from the rebuilt
 * savepoint continues with exactly the records the whole log calls for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebuildITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    @TempDir static Path dir;

    private PipelineFixture fixture;

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
    void aRebuiltSavepointEqualsTheLiveOneAndTheLiveJobContinuesFromIt() throws Exception {
        TopicNames topics = PipelineFixture.topics("rebuild");
        fixture.createTopics(topics);
        DeviceTwinJobOptions options = fixture.options("rebuild", topics);
        List<Scenario.Record> scenario = Scenario.build(fixture.registryClient, topics);

        // The live job over the scenario, failing once in the middle, stopped with a savepoint.
        List<Scenario.Record> first =
                scenario.stream().filter(Scenario.Record::firstBatch).toList();
        List<Scenario.Record> second = scenario.stream().filter(r -> !r.firstBatch()).toList();
        List<RecordMetadata> positions = new ArrayList<>(fixture.produce(topics, first));
        JobClient live =
                fixture.startJob(
                        "rebuild-live",
                        options,
                        null,
                        new FailOnceOnEvent(
                                KafkaIo.deserializer(options),
                                Scenario.FAILURE_MARKER,
                                "rebuild-live"));
        fixture.awaitCommittedOutput(topics);
        positions.addAll(fixture.produce(topics, second));
        OutputRecords expected =
                fixture.reference(
                        options, topics, PipelineFixture.positioned(topics, scenario, positions));
        assertThat(fixture.awaitOutputs(topics, expected).differencesFrom(expected)).isEmpty();
        assertThat(FailOnceOnEvent.FAILED).contains("rebuild-live");
        String liveSavepoint = fixture.stopWithSavepoint(live, "live");

        SavepointContents.Coverage coverage = SavepointContents.coverage(liveSavepoint);
        List<RawRecord> log = fixture.log(topics);
        assertThat(coverage.topic()).isEqualTo(topics.events());
        assertThat(coverage.rebuilt()).isFalse();

        // Rebuild from the log up to what the live savepoint covers.
        String rebuilt = dir.resolve("rebuilt").toUri().toString();
        RebuildJob rebuild = new RebuildJob(options, coverage.nextOffsets(), rebuilt);
        StreamExecutionEnvironment batch =
                StreamExecutionEnvironment.getExecutionEnvironment(RebuildJob.configuration());
        batch.setParallelism(PipelineFixture.PARALLELISM);
        rebuild.build(batch);
        var result = batch.execute("rebuild");
        long read = result.getAccumulatorResult(RebuildJob.READ_ACCUMULATOR);
        rebuild.complete(result.getAllAccumulatorResults());
        assertThat(read).isEqualTo(log.size());
        assertThat(RebuildMetadata.readFrom(rebuilt))
                .get()
                .satisfies(m -> assertThat(m.nextOffsets()).isEqualTo(coverage.nextOffsets()));

        Map<String, DeviceSnapshot> liveStates = SavepointContents.devices(liveSavepoint);
        Map<String, DeviceSnapshot> rebuiltStates = SavepointContents.devices(rebuilt);
        assertThat(liveStates).hasSizeGreaterThan(10);
        assertThat(differences(liveStates, rebuiltStates)).as("state diff live rebuilt").isEmpty();
        assertThat(rebuiltStates.get("silent-1").state().getTwin().getOnline()).isFalse();
        assertThat(rebuiltStates.get("dup-1").seenEventIds())
                .as("the dedup memory is compared too")
                .isNotEmpty();

        // Verify both against a fold of the log outside Flink.
        Map<String, DeviceSnapshot> replayed =
                fixture.replay(options, topics, coverage.nextOffsets());
        assertThat(differences(liveStates, replayed)).as("verify live").isEmpty();
        assertThat(differences(rebuiltStates, replayed)).as("verify rebuilt").isEmpty();

        // A savepoint with one wrong twin does not verify.
        Map<String, DeviceState> corrupted = new TreeMap<>();
        rebuiltStates.forEach((device, snapshot) -> corrupted.put(device, snapshot.state()));
        DeviceState wrong = DeviceState.newBuilder(corrupted.get("battery-1")).build();
        wrong.getTwin().getReadings().get("battery").setValue(99.0);
        corrupted.put("battery-1", wrong);
        String corruptedSavepoint = dir.resolve("corrupted").toUri().toString();
        DeviceStateSavepoints.write(corrupted.values(), corruptedSavepoint);
        Map<String, DeviceState> replayedStates = new TreeMap<>();
        replayed.forEach((device, snapshot) -> replayedStates.put(device, snapshot.state()));
        assertThat(
                        StateComparison.ofStates(
                                        SavepointContents.deviceStates(corruptedSavepoint),
                                        replayedStates,
                                        "the first",
                                        "the second")
                                .differences())
                .containsExactly("battery-1: twin.readings.battery.value: 99.0 != 25.0");
        // A dedup memory that lost an id does not verify either.
        Map<String, DeviceSnapshot> forgetful = new TreeMap<>(rebuiltStates);
        DeviceSnapshot battery = forgetful.get("battery-1");
        Map<String, Long> fewer = new TreeMap<>(battery.seenEventIds());
        String lost = fewer.keySet().iterator().next();
        fewer.remove(lost);
        forgetful.put("battery-1", new DeviceSnapshot(battery.state(), fewer));
        assertThat(differences(forgetful, replayed))
                .containsExactly(
                        "battery-1: seenEventIds."
                                + lost
                                + ": (not remembered) != "
                                + battery.seenEventIds().get(lost));

        // The live job resumed from the rebuilt savepoint applies exactly the events after it.
        TopicNames resumedOutputs =
                new TopicNames(
                        topics.events(),
                        "resumed-twins",
                        "resumed-twin-events",
                        "resumed-alerts",
                        "resumed-late",
                        "resumed-dlq");
        fixture.kafka.createTopics(
                new TopicNames(
                        "unused-events",
                        resumedOutputs.twins(),
                        resumedOutputs.twinEvents(),
                        resumedOutputs.alerts(),
                        resumedOutputs.late(),
                        resumedOutputs.deadLetters()),
                1,
                2);
        DeviceTwinJobOptions resumedOptions = fixture.options("rebuild-resumed", resumedOutputs);
        JobClient resumed = fixture.startJob("rebuild-resumed", resumedOptions, rebuilt, null);
        try {
            List<Scenario.Record> more =
                    Scenario.continuation(fixture.registryClient, topics, scenario);
            List<RecordMetadata> morePositions = fixture.produce(topics, more);
            List<RawRecord> whole = new ArrayList<>(log);
            whole.addAll(PipelineFixture.positioned(topics, more, morePositions));
            OutputRecords continuation =
                    fixture.reference(
                                    resumedOptions,
                                    resumedOutputs,
                                    PipelineFixture.inLogOrder(whole))
                            .after(fixture.reference(resumedOptions, resumedOutputs, log));
            assertThat(continuation.twins).containsKeys("new-1", "thermo-1", "gap-1");
            fixture.assertOutputsSettleAt(resumed, resumedOutputs, continuation);
        } finally {
            resumed.cancel().get();
        }
    }

    private static List<String> differences(
            Map<String, DeviceSnapshot> left, Map<String, DeviceSnapshot> right) {
        return StateComparison.of(left, right, "the first", "the second").differences();
    }
}
