package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.serde.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates the savepoint of this version for {@link SavepointCompatibilityITCase}: the job runs
 * over the scenario, then stops with a savepoint, which is committed with its log and states under
 * {@code src/test/resources/savepoints/<version>/}. Run it once per release, from a clean checkout
 * of the release's tag ({@link Releases}):
 *
 * <pre>mvn -pl pipeline-jobs verify -Dit.test=SavepointGeneratorITCase -Dgenerate.savepoint=0.3.0
 * </pre>
 */
@EnabledIfSystemProperty(named = "generate.savepoint", matches = ".+")
class SavepointGeneratorITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineFixture.miniCluster();

    @TempDir static Path dir;

    @Test
    void generate() throws Exception {
        String version = System.getProperty("generate.savepoint");
        String commit = Releases.requireTaggedCheckout(version);
        Path target = CommittedSavepoint.ROOT.resolve(version);
        assertThat(target).doesNotExist();
        try (PipelineFixture fixture = PipelineFixture.start(dir)) {
            TopicNames topics = PipelineFixture.topics(CommittedSavepoint.TOPICS);
            fixture.createTopics(topics);
            DeviceTwinJobOptions options =
                    fixture.options("generator", topics, CommittedSavepoint.GENERATOR_SETTINGS);
            List<Scenario.Record> scenario = Scenario.build(fixture.registryClient, topics);
            List<RecordMetadata> positions =
                    fixture.kafka.sendPlain(PipelineFixture.eventRecords(topics, scenario));

            JobClient job = fixture.startJob("generator", options, null, null);
            OutputRecords expected =
                    fixture.reference(
                            options,
                            topics,
                            PipelineFixture.positioned(topics, scenario, positions));
            assertThat(fixture.awaitOutputs(topics, expected).differencesFrom(expected)).isEmpty();
            String savepoint = fixture.stopWithSavepoint(job, "generator");

            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(Path.of(java.net.URI.create(savepoint)))) {
                Files.createDirectories(target.resolve("savepoint"));
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve("savepoint").resolve(file.getFileName()));
                }
            }
            List<CommittedSavepoint.LogRecord> log = new ArrayList<>();
            for (int i = 0; i < scenario.size(); i++) {
                Scenario.Record record = scenario.get(i);
                log.add(
                        new CommittedSavepoint.LogRecord(
                                record.label(),
                                positions.get(i).partition(),
                                positions.get(i).offset(),
                                record.key(),
                                record.value(),
                                record.timestampMillis()));
            }
            int eventSchemaId = WireFormat.schemaId(scenario.get(0).value());
            CommittedSavepoint.write(
                    target,
                    log,
                    Map.of(eventSchemaId, DeviceEvent.getClassSchema().toString()),
                    CommittedSavepoint.GENERATOR_SETTINGS,
                    Scenario.RULES);
            Releases.recordOrigin(target, version, commit);
        }
    }
}
