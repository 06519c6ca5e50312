package io.twinlog.jobs;

import io.twinlog.ingest.EventAdmission;
import io.twinlog.ingest.RawRecords;
import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.kafka.TwinlogRecordSerializer;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.testing.KafkaTestCluster;
import io.twinlog.twin.DeviceFold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What the integration tests share: a real Kafka broker in the JVM, the development registry, the
 * job run on the test's MiniCluster (RocksDB, exactly-once checkpoints), and the reference model
 * that computes the records a log must produce.
 */
final class PipelineFixture implements AutoCloseable {

    static final int PARALLELISM = 2;
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    static final Duration WATERMARK_DELAY = Duration.ofSeconds(5);

    final KafkaTestCluster kafka;
    final DevSchemaRegistry registry;
    final SchemaRegistry registryClient;
    final Path dir;
    private final Path rulesFile;

    private PipelineFixture(KafkaTestCluster kafka, DevSchemaRegistry registry, Path dir) throws IOException {
        this.kafka = kafka;
        this.registry = registry;
        this.registryClient = new CachingSchemaRegistry(new RegistryRestClient(registry.url()));
        this.dir = dir;
        this.rulesFile = Files.writeString(dir.resolve("rules.json"), Scenario.RULES);
    }

    static PipelineFixture start(Path dir) throws Exception {
        return new PipelineFixture(KafkaTestCluster.start(), DevSchemaRegistry.start("127.0.0.1", 0, null), dir);
    }

    static TopicNames topics(String run) {
        return new TopicNames(run + "-device-events", run + "-device-twins", run + "-device-twin-events",
                run + "-device-alerts", run + "-device-events-late", run + "-device-events-dlq");
    }

    /** Options of a run on its own topics, consumer group and transactional ids. */
    DeviceTwinJobOptions options(String run, TopicNames topics) throws IOException {
        return options(run, topics, Scenario.SILENCE_TIMEOUT.toSeconds() + "s");
    }

    DeviceTwinJobOptions options(String run, TopicNames topics, String silenceTimeout) throws IOException {
        return DeviceTwinJobOptions.parse(
                "--bootstrap.servers", kafka.bootstrapServers(),
                "--schema.registry.url", registry.url(),
                "--topic.events", topics.events(), "--topic.twins", topics.twins(),
                "--topic.twin-events", topics.twinEvents(), "--topic.alerts", topics.alerts(),
                "--topic.late", topics.late(), "--topic.dlq", topics.deadLetters(),
                "--group.id", run, "--transactional.id.prefix", "it-" + run,
                "--rules.file", rulesFile.toString(),
                "--silence.timeout", silenceTimeout,
                "--allowed.lateness", Scenario.ALLOWED_LATENESS.toSeconds() + "s",
                "--dedup.window", Scenario.ALLOWED_LATENESS.toSeconds() + "s",
                "--watermark.out-of-orderness", WATERMARK_DELAY.toMillis() + "ms",
                // Never idle within a test: the watermark must be the minimum over all partitions.
                "--source.idle-timeout", "1h");
    }

    void createTopics(TopicNames topics) throws Exception {
        kafka.createTopics(topics, Scenario.EVENT_PARTITIONS, 2);
    }

    /** Appends the records in one transaction (nothing the job writes can land in between). */
    List<RecordMetadata> produce(TopicNames topics, List<Scenario.Record> records) throws Exception {
        // A record without key would go to any partition: pin it, so that every run has the same log.
        return kafka.sendBatch(records.stream().map(r -> new ProducerRecord<>(topics.events(),
                r.key() == null ? 0 : null, r.timestampMillis(), r.key(), r.value())).toList());
    }

    /**
     * Starts DeviceTwinJob on the MiniCluster.
     *
     * @param savepoint a savepoint to restore, or null
     * @param deserializer the source's record deserializer, or null for the production one
     */
    JobClient startJob(String name, DeviceTwinJobOptions options, String savepoint,
            KafkaRecordDeserializationSchema<IngestedRecord> deserializer) throws Exception {
        Configuration configuration = DeviceTwinJob.requiredConfiguration();
        configuration.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        configuration.setString("execution.checkpointing.dir",
                Files.createDirectories(dir.resolve("checkpoints-" + name)).toUri().toString());
        configuration.setString("execution.checkpointing.incremental", "true");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.setString("restart-strategy.fixed-delay.attempts", "3");
        configuration.setString("restart-strategy.fixed-delay.delay", "200 ms");
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        Map<Integer, Long> startOffsets = DeviceTwinJob.startOffsets(options, java.util.Optional.ofNullable(savepoint));
        var source = deserializer == null ? KafkaIo.source(options, startOffsets) : KafkaIo.source(options, deserializer);
        DeviceTwinJob.from(options).build(env, source, KafkaIo.sink(options));
        return env.executeAsync("it-" + name);
    }

    String stopWithSavepoint(JobClient job, String name) throws Exception {
        return job.stopWithSavepoint(false, Files.createDirectories(dir.resolve("savepoints-" + name)).toUri().toString(),
                SavepointFormatType.CANONICAL).get();
    }

    /** The event log as it stands now (read_committed), in partition and offset order. */
    List<RawRecord> log(TopicNames topics) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(kafka.readAll(topics.events(), "read_committed"));
        records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records.stream().map(r -> RawRecords.of(r.key(), r.value(), r.topic(), r.partition(), r.offset(),
                r.timestamp())).toList();
    }

    /** Scenario records as they stand in the log, at the positions the broker gave them. */
    static List<RawRecord> positioned(TopicNames topics, List<Scenario.Record> records, List<RecordMetadata> positions) {
        List<RawRecord> log = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Scenario.Record record = records.get(i);
            log.add(RawRecords.of(record.key(), record.value(), topics.events(), positions.get(i).partition(),
                    positions.get(i).offset(), record.timestampMillis()));
        }
        return log;
    }

    /**
     * The records the reference model derives from a log, written to the output topics {@code outputs}
     * names (records of one partition must be in offset order).
     */
    OutputRecords reference(DeviceTwinJobOptions options, TopicNames outputs, List<RawRecord> log) throws Exception {
        ReferenceModel model = model(options, outputs);
        for (RawRecord record : log) {
            model.append(record);
        }
        return model.finish();
    }

    private ReferenceModel model(DeviceTwinJobOptions options, TopicNames topics) throws Exception {
        TwinlogRecordSerializer serializer = new TwinlogRecordSerializer(topics, registry.url(), Duration.ofSeconds(5));
        serializer.open(null, null);
        return new ReferenceModel(new DeviceFold(options.foldSettings(), options.rules()),
                new EventAdmission(options.contract()), new ConfluentAvroDeserializer<>(registryClient, DeviceEvent.class),
                serializer, WATERMARK_DELAY.toMillis(), new OutputRecords(topics, registryClient));
    }

    /** Polls the outputs until they equal the expected records (or two minutes pass). */
    OutputRecords awaitOutputs(TopicNames topics, OutputRecords expected) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        OutputRecords actual = read(topics, "read_committed");
        while (!actual.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            actual = read(topics, "read_committed");
        }
        return actual;
    }

    void awaitCommittedOutput(TopicNames topics) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (kafka.readAll(topics.twins(), "read_committed").isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the job committed no output within a minute");
            }
            Thread.sleep(200);
        }
    }

    OutputRecords read(TopicNames topics, String isolation) throws IOException {
        OutputRecords outputs = new OutputRecords(topics, registryClient);
        for (String topic : List.of(topics.twins(), topics.twinEvents(), topics.alerts(), topics.late(), topics.deadLetters())) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(topic, isolation)) {
                outputs.add(topic, record.key(), record.value(), record.headers());
            }
        }
        return outputs;
    }

    @Override
    public void close() throws Exception {
        kafka.close();
        registry.close();
    }
}
