package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.kafka.RulesLog;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.twin.DeviceEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules as data (docs/RULES.md), end to end on a real broker: a running job gets two new rules
 * versions mid-stream, loses its TaskManager between them and a task fails after the second; its
 * alerts follow the versions (literal expectations: episodes ended with RULE_CHANGED /
 * RULE_REMOVED, new thresholds applied, a stale marker dead-lettered); then a job folding the same
 * log from scratch writes exactly the same records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesInTheLogITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    @TempDir static Path dir;

    private static final int DEVICES = 8;

    /** temperature-high moves from 80 to 70, temperature-hot-30s is removed. */
    private static final String V1 =
            """
            {"rules": [
              {"id": "temperature-high", "metric": "temperature", "high": 70, "deadband": 5, "severity": "CRITICAL"},
              {"id": "battery-low", "metric": "battery", "low": 15, "deadband": 5}
            ]}""";

    /** battery-low moves from 15 to 25, temperature-very-high is new. */
    private static final String V2 =
            """
            {"rules": [
              {"id": "temperature-high", "metric": "temperature", "high": 70, "deadband": 5, "severity": "CRITICAL"},
              {"id": "temperature-very-high", "metric": "temperature", "high": 95},
              {"id": "battery-low", "metric": "battery", "low": 25, "deadband": 5}
            ]}""";

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
    void rulesChangeOnARunningJobAndAReplayFromScratchWritesTheSameRecords(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        TopicNames live = PipelineFixture.topics("rules-live");
        fixture.createTopics(live);
        DeviceTwinJobOptions options = fixture.options("rules-live", live);
        ConfluentAvroSerializer<DeviceEvent> events =
                new ConfluentAvroSerializer<>(
                        fixture.registryClient,
                        TopicNames.valueSubject(live.events()),
                        DeviceEvent.class);

        fixture.kafka.sendBatch(batch(live, events, 1, 3));
        JobClient job =
                fixture.startJob(
                        "rules-live",
                        options,
                        null,
                        new FailOnceOnEvent(KafkaIo.deserializer(options), "rd-1-e5", "rules"),
                        UnaryOperator.identity(),
                        10);
        OutputRecords outputs;
        try {
            fixture.awaitCommittedOutput(live);
            publish(live, 1, V1);
            fixture.kafka.sendBatch(batch(live, events, 4, 4));
            awaitAlerts(live, 6);
            // The TaskManager goes away between the versions: the job restarts on a new one from
            // its last checkpoint, with the stamps and announced versions in it.
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            publish(live, 2, V2);
            publish(live, 1, V1); // stale: every partition refuses it
            fixture.kafka.sendBatch(batch(live, events, 5, 6));
            outputs = awaitAlerts(live, 10);
        } finally {
            job.cancel().get();
        }

        assertThat(FailOnceOnEvent.FAILED).contains("rules");
        for (int d = 0; d < DEVICES; d++) {
            String device = "rd-" + d;
            assertThat(outputs.alerts.get(device))
                    .extracting(
                            a ->
                                    a.getRuleId()
                                            + " "
                                            + a.getStatus()
                                            + " "
                                            + a.getCause()
                                                    .getEventId()
                                                    .substring(device.length() + 1)
                                            + " v"
                                            + a.getRulesVersion()
                                            + (a.getReason() == null ? "" : " " + a.getReason()))
                    .as(device)
                    .containsExactly(
                            "battery-low RAISED e1 v0",
                            "temperature-high RAISED e1 v0",
                            "temperature-hot-30s RAISED e3 v0",
                            "temperature-high CLEARED e4 v1 RULE_CHANGED",
                            "temperature-hot-30s CLEARED e4 v1 RULE_REMOVED",
                            "temperature-high RAISED e4 v1",
                            "battery-low CLEARED e5 v2 RULE_CHANGED",
                            "temperature-very-high RAISED e5 v2",
                            "temperature-high CLEARED e6 v2",
                            "temperature-very-high CLEARED e6 v2");
            assertThat(
                            outputs.twins
                                    .get(device)
                                    .get(outputs.twins.get(device).size() - 1)
                                    .getRulesVersion())
                    .isEqualTo(2);
        }
        assertThat(outputs.deadLetters)
                .extracting(f -> f.headers().get("twinlog.errors.reason"))
                .containsExactly(
                        "RULES_MARKER_INVALID",
                        "RULES_MARKER_INVALID",
                        "RULES_MARKER_INVALID",
                        "RULES_MARKER_INVALID");

        // The same log from offset 0, in a job of its own: the same records, ids included.
        TopicNames outputsOnly = PipelineFixture.topics("rules-replay");
        fixture.createTopics(outputsOnly);
        TopicNames replay =
                new TopicNames(
                        live.events(),
                        outputsOnly.twins(),
                        outputsOnly.twinEvents(),
                        outputsOnly.alerts(),
                        outputsOnly.late(),
                        outputsOnly.deadLetters());
        JobClient replayJob =
                fixture.startJob(
                        "rules-replay", fixture.options("rules-replay", replay), null, null);
        try {
            OutputRecords replayed = fixture.awaitOutputs(replay, outputs, replayJob);
            assertThat(replayed.differencesFrom(outputs)).isEmpty();
        } finally {
            replayJob.cancel().get();
        }
    }

    /**
     * Events e{from}..e{to} of every device. Per device: e1 (0 s) temperature 85 and battery 10, e2
     * (10 s) 92, e3 (45 s) 92 (temperature-hot-30s held 35 s), e4 (50 s) 75, e5 (80 s) 96, e6 (90
     * s) 50.
     */
    private static List<ProducerRecord<byte[], byte[]>> batch(
            TopicNames topics, ConfluentAvroSerializer<DeviceEvent> serializer, int from, int to)
            throws Exception {
        long[] times = {0, 10, 45, 50, 80, 90};
        double[] temperatures = {85, 92, 92, 75, 96, 50};
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int e = from; e <= to; e++) {
            for (int d = 0; d < DEVICES; d++) {
                String device = "rd-" + d;
                Map<String, Double> readings =
                        e == 1
                                ? Map.of("temperature", temperatures[0], "battery", 10.0)
                                : Map.of("temperature", temperatures[e - 1]);
                DeviceEvent event =
                        DeviceEvents.event(
                                device + "-e" + e,
                                device,
                                DeviceEvents.seconds(times[e - 1]),
                                new io.twinlog.schema.event.TelemetryReported(readings));
                records.add(
                        new ProducerRecord<>(
                                topics.events(),
                                null,
                                DeviceEvents.seconds(times[e - 1]).toEpochMilli(),
                                device.getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(event)));
            }
        }
        return records;
    }

    /** What {@code twinlog rules publish} writes. */
    private void publish(TopicNames topics, int version, String rules) throws Exception {
        RuleSet ruleSet =
                RuleSet.newBuilder()
                        .setVersion(version)
                        .setRules(rules)
                        .setPublishedAt(Instant.ofEpochSecond(version))
                        .setPublishedBy("test")
                        .build();
        byte[] value =
                new ConfluentAvroSerializer<>(
                                fixture.registryClient, RulesMarkers.SUBJECT, RuleSet.class)
                        .serialize(ruleSet);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, RulesLog.TRANSACTIONAL_ID);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            RulesLog.publish(producer, topics.events(), Scenario.EVENT_PARTITIONS, value);
        }
    }

    /** Waits until every device has the given number of alerts, then for three more checkpoints. */
    private OutputRecords awaitAlerts(TopicNames topics, int perDevice) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            OutputRecords outputs = fixture.read(topics, "read_committed");
            if (outputs.alerts.size() == DEVICES
                    && outputs.alerts.values().stream()
                            .allMatch(alerts -> alerts.size() >= perDevice)) {
                Thread.sleep(3 * PipelineFixture.CHECKPOINT_INTERVAL.toMillis());
                return fixture.read(topics, "read_committed");
            }
            Thread.sleep(500);
        }
        OutputRecords outputs = fixture.read(topics, "read_committed");
        throw new AssertionError(
                "alerts did not arrive: "
                        + outputs.alerts.values().stream().map(List::size).toList());
    }
}
