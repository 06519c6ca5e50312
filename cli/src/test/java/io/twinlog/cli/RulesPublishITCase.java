package io.twinlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.ingest.RefusedMarkers;
import io.twinlog.jobs.kafka.RulesLog;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.RulesMarkers;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.serde.ConfluentAvroSerializer;
import io.twinlog.testing.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules publish} against a log a careless or hostile writer has put markers into, on a real
 * broker: it reads every partition, publishes a version every partition takes, and refuses (exit 1)
 * what the job would refuse instead of reporting success.
 */
public class RulesPublishITCase {

    private static final String BASE =
            "{\"rules\": [{\"id\": \"hot\", \"metric\": \"temperature\", \"high\": 80}]}";
    private static final String CANDIDATE =
            "{\"rules\": [{\"id\": \"hot\", \"metric\": \"temperature\", \"high\": 85,"
                    + " \"description\": \"raised after the summer\"}]}";

    @TempDir Path dir;
    private KafkaTestCluster kafka;
    private DevSchemaRegistry registry;
    private final TopicNames topics = TopicNames.defaults();

    @BeforeEach
    void start() throws Exception {
        kafka = KafkaTestCluster.start();
        kafka.createTopics(topics, 4, 1);
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        Files.writeString(dir.resolve("base.json"), BASE);
        Files.writeString(dir.resolve("candidate.json"), CANDIDATE);
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        kafka.close();
    }

    @Test
    void aMarkerInOnePartitionIsFlaggedAndTheNextVersionIsOneEveryPartitionTakes()
            throws Exception {
        forge(5, List.of(2));

        CliRun list = cli("rules", "list");
        assertThat(list.err())
                .contains("partitions of the log activated different rules versions")
                .contains("partition 2: [5] (the newest from the marker at 2:0)");

        CliRun publish = publish();
        assertThat(publish.exit()).as(publish.err()).isZero();
        assertThat(publish.out()).contains("published rules version 6 to the 4 partitions");

        var versions = byPartition();
        assertThat(versions.differing()).as("every partition's newest is version 6").isEmpty();
        assertThat(versions.common())
                .last()
                .satisfies(v -> assertThat(v.getVersion()).isEqualTo(6));
        assertThat(versions.common().get(versions.common().size() - 1).getRules())
                .as("the rules as written, their description included")
                .contains("raised after the summer");
    }

    @Test
    void aVersionAtTheTopOfTheRangeMakesPublishFailNotPretend() throws Exception {
        forge(10_000, List.of(0, 1, 2, 3));

        CliRun publish = publish();

        assertThat(publish.exit()).isEqualTo(1);
        assertThat(publish.err())
                .contains(
                        "the log holds rules version 10000 (partitions [0, 1, 2, 3], markers at 0:0,1:0,2:0,3:0)")
                .contains("the highest a marker may carry (10000)")
                .contains("--rules.refused-markers 0:0,1:0,2:0,3:0");
        assertThat(byPartition().highest()).as("nothing was written").isEqualTo(10_000);

        // The way out (docs/RULES.md): the job refuses those markers by position; publish, given
        // the job's option, chooses the version as that job will.
        String refused = "0:0,1:0,2:0,3:0";
        CliRun again = publish("--", "--rules.refused-markers", refused);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("published rules version 1 to the 4 partitions");
        var versions = byPartition(RefusedMarkers.parse(refused));
        assertThat(versions.differing()).isEmpty();
        assertThat(versions.highest()).isEqualTo(1);
        assertThat(byPartition().highest())
                .as("a job without the option still takes the forged version")
                .isEqualTo(10_000);
    }

    private CliRun publish(String... jobOptions) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "rules",
                                "publish",
                                dir.resolve("candidate.json").toString(),
                                "--rules",
                                dir.resolve("base.json").toString(),
                                "--wait",
                                "0s"));
        args.addAll(List.of(jobOptions));
        return cli(args.toArray(String[]::new));
    }

    private CliRun cli(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        int jobOptions = args.contains("--") ? args.indexOf("--") : args.size();
        args.addAll(
                jobOptions,
                List.of(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--registry-url",
                        registry.url()));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Markers as any writer of the log could write them, into some partitions only. */
    private void forge(int version, List<Integer> partitions) throws Exception {
        byte[] value =
                new ConfluentAvroSerializer<>(
                                new CachingSchemaRegistry(new RegistryRestClient(registry.url())),
                                RulesMarkers.SUBJECT,
                                RuleSet.class)
                        .serialize(
                                RuleSet.newBuilder()
                                        .setVersion(version)
                                        .setRules(BASE)
                                        .setPublishedAt(Instant.EPOCH)
                                        .setPublishedBy("mallory")
                                        .build());
        List<ProducerRecord<byte[], byte[]>> markers = new ArrayList<>();
        for (int partition : partitions) {
            ProducerRecord<byte[], byte[]> marker =
                    new ProducerRecord<>(
                            topics.events(),
                            partition,
                            RulesMarkers.KEY.getBytes(StandardCharsets.UTF_8),
                            value);
            marker.headers()
                    .add(
                            new RecordHeader(
                                    RulesMarkers.HEADER,
                                    RulesMarkers.RULES_ACTIVATED.getBytes(StandardCharsets.UTF_8)));
            markers.add(marker);
        }
        kafka.sendBatch(markers);
    }

    private io.twinlog.alerts.PublishedVersions byPartition() throws Exception {
        return byPartition(RefusedMarkers.NONE);
    }

    private io.twinlog.alerts.PublishedVersions byPartition(RefusedMarkers refused)
            throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return RulesLog.byPartition(
                    consumer,
                    topics.events(),
                    new ConfluentAvroDeserializer<>(
                                    new CachingSchemaRegistry(
                                            new RegistryRestClient(registry.url())),
                                    RuleSet.class)
                            ::deserialize,
                    refused);
        }
    }
}
