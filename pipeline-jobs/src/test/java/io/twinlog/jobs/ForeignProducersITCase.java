package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.connect.RawRecords;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.alert.Alert;
import io.twinlog.schema.internal.RawRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producers in other languages, run for real: the examples under {@code examples/} in Python
 * (Debian's python3-confluent-kafka and python3-avro) and Go (Debian's confluent-kafka-go and
 * goavro), both on librdkafka, whose default partitioner hashes keys with CRC32 where the Java
 * client uses murmur2. The job must fold their events, write each device's silence observations
 * into the partition the producer chose for it, and give the outputs the specification makes of the
 * log. {@code .ci/run} installs the packages; without them this test fails and says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignProducersITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final List<String> SILENT = List.of("py-0", "py-1", "py-2", "py-3");

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
    void devicesWrittenByLibrdkafkaClientsStayOnTheirPartitions() throws Exception {
        TopicNames topics = PipelineFixture.topics("foreign");
        fixture.createTopics(topics);
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
        // Four devices fall silent after two minutes; the others go on for half an hour, so the
        // watermark passes the silent ones' deadlines and the job appends their observations.
        python(topics, "py-0,py-1,py-2,py-3", 3, start);
        python(topics, "py-4,py-5", 30, start);
        go(topics, "go-0,go-1", 30, start);

        DeviceTwinJobOptions options = fixture.options("foreign", topics);
        JobClient job = fixture.startJob("foreign", options, null, null);
        try {
            awaitSilenceAlerts(topics, job);
            List<RawRecord> log = fixture.log(topics);
            OutputRecords expected = fixture.reference(options, topics, log);
            assertThat(fixture.awaitOutputs(topics, expected, job).differencesFrom(expected))
                    .isEmpty();
            assertThat(expected.deadLetters).isEmpty();

            Map<String, Set<Integer>> partitions = new TreeMap<>();
            for (RawRecord record : log) {
                String device =
                        new String(RawRecords.bytes(record.getKey()), StandardCharsets.UTF_8);
                partitions
                        .computeIfAbsent(device, d -> new TreeSet<>())
                        .add(record.getPosition().getPartition());
            }
            assertThat(partitions).hasSize(8);
            int differFromJava = 0;
            for (var device : partitions.entrySet()) {
                int crc32 = SoakHistory.crc32Partition(device.getKey(), Scenario.EVENT_PARTITIONS);
                assertThat(device.getValue())
                        .as("partitions of %s, observations included", device.getKey())
                        .containsExactly(crc32);
                if (crc32 != murmur2Partition(device.getKey())) {
                    differFromJava++;
                }
            }
            assertThat(differFromJava)
                    .as("devices a Java producer would have put elsewhere")
                    .isGreaterThan(2);
        } finally {
            job.cancel().get();
        }
    }

    private void awaitSilenceAlerts(TopicNames topics, JobClient job) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get();
                throw new AssertionError("the job ended");
            }
            Map<String, List<Alert>> alerts = fixture.read(topics, "read_committed").alerts;
            if (SILENT.stream()
                    .allMatch(
                            device ->
                                    alerts.getOrDefault(device, List.of()).stream()
                                            .anyMatch(
                                                    a -> a.getRuleId().equals("device-silent")))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no silence observations for " + SILENT);
    }

    private static int murmur2Partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
                % Scenario.EVENT_PARTITIONS;
    }

    private void python(TopicNames topics, String devices, int events, Instant start)
            throws Exception {
        String python =
                Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        run(
                "the Python example (needs Debian's python3-confluent-kafka and python3-avro;"
                        + " .ci/run installs them)",
                List.of(
                        python,
                        EXAMPLES.resolve("python/send_events.py").toString(),
                        "--bootstrap-servers",
                        fixture.kafka.bootstrapServers(),
                        "--registry-url",
                        fixture.registry.url(),
                        "--topic",
                        topics.events(),
                        "--devices",
                        devices,
                        "--events",
                        Integer.toString(events),
                        "--interval",
                        "60",
                        "--start",
                        start.toString()),
                Map.of());
    }

    private void go(TopicNames topics, String devices, int events, Instant start) throws Exception {
        Path binary = dir.resolve("send_events_go");
        Map<String, String> env =
                Map.of(
                        "GO111MODULE", "off",
                        "GOPATH", "/usr/share/gocode",
                        "GOCACHE", dir.resolve("gocache").toString());
        if (!Files.exists(binary)) {
            run(
                    "building the Go example (needs Debian's golang-go,"
                            + " golang-github-confluentinc-confluent-kafka-go-dev and"
                            + " golang-github-linkedin-goavro-dev; .ci/run installs them)",
                    List.of(
                            "go",
                            "build",
                            "-tags",
                            "dynamic",
                            "-o",
                            binary.toString(),
                            EXAMPLES.resolve("go/send_events.go").toString()),
                    env);
        }
        run(
                "the Go example",
                List.of(
                        binary.toString(),
                        "-bootstrap-servers",
                        fixture.kafka.bootstrapServers(),
                        "-registry-url",
                        fixture.registry.url(),
                        "-topic",
                        topics.events(),
                        "-devices",
                        devices,
                        "-events",
                        Integer.toString(events),
                        "-interval",
                        "60s",
                        "-start",
                        start.toString()),
                env);
    }

    private static void run(String what, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(dir, "run", ".out");
        Process process;
        try {
            process = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(what + ": cannot start " + command.get(0), e);
        }
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish in 3 minutes");
        }
        assertThat(process.exitValue()).as("%s: %s", what, Files.readString(out)).isZero();
    }
}
