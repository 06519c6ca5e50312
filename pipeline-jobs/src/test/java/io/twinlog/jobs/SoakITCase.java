package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.jobs.state.DeviceSnapshot;
import io.twinlog.jobs.state.SavepointContents;
import io.twinlog.jobs.topology.Descriptors;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.twin.DeviceTwin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day of event time through the real job (RocksDB, incremental checkpoints, exactly-once,
 * parallelism 2) with the default fold options, in about a minute: {@link SoakHistory}'s fleet,
 * with the TaskManager killed after 8 hours of it and the job stopped with a savepoint and resumed
 * after 16. The job may restart once, for the kill; any other failure ends it and the test. Every
 * output must be what the specification makes of the log as it ends (silence observations the job
 * appended included), and the state of every device must stay bounded. {@code scripts/drills --only
 * soak} runs the longer version on the local stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoakITCase {

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
    void aDayOfEventTimeWithAKilledTaskManagerAndAResumeGivesTheSpecifiedOutputs(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        TopicNames topics = PipelineFixture.topics("soak");
        fixture.createTopics(topics);
        DeviceTwinJobOptions options =
                fixture.options(
                        "soak",
                        topics,
                        Map.of(
                                "allowed.lateness", "1h",
                                "dedup.window", "1h",
                                "silence.timeout", "10m",
                                "dedup.max-ids-per-device",
                                        Integer.toString(SoakHistory.DEDUP_MAX_IDS)));
        Instant start = SoakHistory.start();
        List<SoakHistory.Entry> day =
                SoakHistory.generate(
                        fixture.registryClient, topics, Scenario.EVENT_PARTITIONS, start, 21);
        long hour = Duration.ofHours(1).toMillis();

        produce(day, start.toEpochMilli(), start.toEpochMilli() + 8 * hour);
        JobClient job = fixture.startJob("soak", options, null, null, UnaryOperator.identity(), 1);
        awaitFolded(topics, start.toEpochMilli() + 8 * hour, job);
        produce(day, start.toEpochMilli() + 8 * hour, start.toEpochMilli() + 16 * hour);
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        awaitFolded(topics, start.toEpochMilli() + 16 * hour, job);
        String savepoint = fixture.stopWithSavepoint(job, "soak");
        job = fixture.startJob("soak", options, savepoint, null, UnaryOperator.identity(), 0);
        try {
            produce(day, start.toEpochMilli() + 16 * hour, Long.MAX_VALUE);
            awaitFolded(topics, start.toEpochMilli() + 24 * hour, job);
            assertThat(
                            settledOutputs(options, topics, job)
                                    .differencesFrom(expected(options, topics)))
                    .isEmpty();
            savepoint = fixture.stopWithSavepoint(job, "soak-end");
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }

        assertStateBounded(SavepointContents.devices(savepoint));
    }

    /**
     * Each steady device holds at most the ids of an hour and a half (pruning lags the window by
     * half its length) plus its re-sends; a chatty one at most the bound. A state is small (the
     * spilled buckets are counted in the ids, not in the state's bytes).
     */
    private static void assertStateBounded(Map<String, DeviceSnapshot> devices) throws Exception {
        assertThat(devices).hasSize(SoakHistory.STEADY + SoakHistory.CHATTY);
        var serializer = Descriptors.DEVICE_STATE_TYPE.createSerializer(new SerializerConfigImpl());
        devices.forEach(
                (device, snapshot) -> {
                    int ids = snapshot.state().getSeenIdCount();
                    assertThat(snapshot.seenEventIds()).as(device).hasSize(ids);
                    assertThat(ids)
                            .as("ids remembered by %s", device)
                            .isLessThanOrEqualTo(
                                    device.startsWith("chatty") ? SoakHistory.DEDUP_MAX_IDS : 120);
                    DataOutputSerializer bytes = new DataOutputSerializer(4096);
                    try {
                        serializer.serialize(snapshot.state(), bytes);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    assertThat(bytes.length()).as("state bytes of %s", device).isLessThan(8_192);
                });
        // A steady device applied some 1,440 events in the day and holds at most 120 ids: more than
        // a bucket's 32 at a time, so its memory spilled buckets and dropped them all day long.
        assertThat(devices.get("steady-0").state().getTwin().getCounters().getApplied())
                .isGreaterThan(1_400);
    }

    private void produce(List<SoakHistory.Entry> day, long from, long to) throws Exception {
        fixture.kafka.sendBatch(
                day.stream()
                        .filter(e -> e.nominal() >= from && e.nominal() < to)
                        .map(SoakHistory.Entry::record)
                        .toList());
    }

    /**
     * Waits until every device still reporting has a twin of its last events before {@code until}
     * (the job folded what was produced), failing at once if the job ends.
     */
    private void awaitFolded(TopicNames topics, long until, JobClient job) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get();
                throw new AssertionError("the job ended");
            }
            OutputRecords outputs = fixture.read(topics, "read_committed");
            boolean folded = true;
            for (int d = 0; d < SoakHistory.STEADY - 1; d++) {
                List<DeviceTwin> twins = outputs.twins.get("steady-" + d);
                folded &=
                        twins != null
                                && twins.get(twins.size() - 1).getLastSeen().toEpochMilli()
                                        >= until - Duration.ofMinutes(3).toMillis();
            }
            if (folded) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(
                "the job did not fold the log up to " + Instant.ofEpochMilli(until));
    }

    /**
     * The outputs once the log stopped growing: the job appends silence observations as the
     * watermark passes their deadlines, and folds them in turn.
     */
    private OutputRecords settledOutputs(
            DeviceTwinJobOptions options, TopicNames topics, JobClient job) throws Exception {
        while (true) {
            int logSize = fixture.log(topics).size();
            OutputRecords outputs = fixture.awaitOutputs(topics, expected(options, topics), job);
            Thread.sleep(3 * PipelineFixture.CHECKPOINT_INTERVAL.toMillis());
            if (fixture.log(topics).size() == logSize) {
                return outputs;
            }
        }
    }

    private OutputRecords expected(DeviceTwinJobOptions options, TopicNames topics)
            throws Exception {
        List<RawRecord> log = fixture.log(topics);
        return fixture.reference(options, topics, log);
    }
}
