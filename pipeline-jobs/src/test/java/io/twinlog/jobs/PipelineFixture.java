package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinlog.connect.RawRecords;
import io.twinlog.connect.RecordAdmission;
import io.twinlog.ingest.EventAdmission;
import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.kafka.TwinlogRecordSerializer;
import io.twinlog.jobs.state.DeviceSnapshot;
import io.twinlog.jobs.state.LogReplay;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.SinkOptions;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.SchemaRegistry;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.schema.rules.RuleSet;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.spec.FoldSpecification;
import io.twinlog.testing.KafkaTestCluster;
import io.twinlog.twin.DeviceFold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the integration tests share: a real Kafka broker in the JVM, the development registry, the
 * job run on the test's MiniCluster (RocksDB, exactly-once checkpoints), and the reference model
 * that computes the records a log must produce.
 */
final class PipelineFixture implements AutoCloseable {

    static final int PARALLELISM = 2;

    /** The MiniCluster the ITCases run their jobs on: one TaskManager with a slot per subtask. */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(PARALLELISM)
                        .build());
    }

    /**
     * The RocksDB options users run with, from the repo's flink-conf/config.yaml (its local
     * directory aside), so that the tests' state backend is configured as the cluster's is.
     */
    static Map<String, String> rocksDbOptions() {
        Map<String, String> rocksDb = new TreeMap<>();
        GlobalConfiguration.loadConfiguration(FLINK_CONF.toString())
                .toMap()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith("state.backend.rocksdb.")
                                    && !key.equals("state.backend.rocksdb.localdir")) {
                                rocksDb.put(key, value);
                            }
                        });
        if (!rocksDb.containsKey("state.backend.rocksdb.use-bloom-filter")) {
            throw new IllegalStateException("no RocksDB options in " + FLINK_CONF);
        }
        return rocksDb;
    }

    private static final Path FLINK_CONF = Path.of("..", "flink-conf").toAbsolutePath().normalize();

    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    static final Duration WATERMARK_DELAY = Duration.ofSeconds(5);

    final KafkaTestCluster kafka;
    final DevSchemaRegistry registry;
    final SchemaRegistry registryClient;
    final Path dir;
    private final Path rulesFile;

    private PipelineFixture(KafkaTestCluster kafka, DevSchemaRegistry registry, Path dir)
            throws IOException {
        this.kafka = kafka;
        this.registry = registry;
        this.registryClient = new CachingSchemaRegistry(new RegistryRestClient(registry.url()));
        this.dir = dir;
        this.rulesFile = Files.writeString(dir.resolve("rules.json"), Scenario.RULES);
    }

    static PipelineFixture start(Path dir) throws Exception {
        return new PipelineFixture(
                KafkaTestCluster.start(), DevSchemaRegistry.start("127.0.0.1", 0, null), dir);
    }

    static TopicNames topics(String run) {
        return new TopicNames(
                run + "-device-events",
                run + "-device-twins",
                run + "-device-twin-events",
                run + "-device-alerts",
                run + "-device-events-late",
                run + "-device-events-dlq");
    }

    /** Options of a run on its own topics, consumer group and transactional ids. */
    DeviceTwinJobOptions options(String run, TopicNames topics) throws IOException {
        return options(run, topics, Map.of());
    }

    /**
     * @param settings options that replace the defaults of the tests, e.g. the fold settings a
     *     committed savepoint was generated with
     */
    DeviceTwinJobOptions options(String run, TopicNames topics, Map<String, String> settings)
            throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("bootstrap.servers", kafka.bootstrapServers());
        options.put("schema.registry.url", registry.url());
        options.put("topic.events", topics.events());
        options.put("topic.twins", topics.twins());
        options.put("topic.twin-events", topics.twinEvents());
        options.put("topic.alerts", topics.alerts());
        options.put("topic.late", topics.late());
        options.put("topic.dlq", topics.deadLetters());
        options.put("group.id", run);
        options.put("transactional.id.prefix", "it-" + run);
        options.put("rules.file", rulesFile.toString());
        options.put("silence.timeout", Scenario.SILENCE_TIMEOUT.toSeconds() + "s");
        options.put("allowed.lateness", Scenario.ALLOWED_LATENESS.toSeconds() + "s");
        options.put("dedup.window", Scenario.ALLOWED_LATENESS.toSeconds() + "s");
        options.put("watermark.out-of-orderness", WATERMARK_DELAY.toMillis() + "ms");
        options.put("state.backend", "rocksdb");
        options.put("parallelism", Integer.toString(PARALLELISM));
        options.put("checkpoint.interval", CHECKPOINT_INTERVAL.toMillis() + "ms");
        // Never idle within a test: the watermark must be the minimum over all partitions.
        options.put("source.idle-timeout", "1h");
        options.putAll(settings);
        List<String> args = new ArrayList<>();
        options.forEach((name, value) -> args.addAll(List.of("--" + name, value)));
        return DeviceTwinJobOptions.parse(args.toArray(String[]::new));
    }

    void createTopics(TopicNames topics) throws Exception {
        kafka.createTopics(topics, Scenario.EVENT_PARTITIONS, 2);
    }

    /** Appends the records in one transaction (nothing the job writes can land in between). */
    List<RecordMetadata> produce(TopicNames topics, List<Scenario.Record> records)
            throws Exception {
        return kafka.sendBatch(eventRecords(topics, records));
    }

    /** The records for the event log, each with its Kafka timestamp. */
    static List<ProducerRecord<byte[], byte[]>> eventRecords(
            TopicNames topics, List<Scenario.Record> records) {
        // A record without key would go to any partition: pin it, so that every run has the same
        // log.
        return records.stream()
                .map(
                        r ->
                                new ProducerRecord<>(
                                        topics.events(),
                                        r.key() == null ? 0 : null,
                                        r.timestampMillis(),
                                        r.key(),
                                        r.value()))
                .toList();
    }

    /**
     * Starts DeviceTwinJob on the MiniCluster, wired as {@link DeviceTwinJob#main} wires it.
     *
     * @param savepoint a savepoint to restore, or null
     * @param deserializer the source's record deserializer, or null for the production one
     */
    JobClient startJob(
            String name,
            DeviceTwinJobOptions options,
            String savepoint,
            KafkaRecordDeserializationSchema<IngestedRecord> deserializer)
            throws Exception {
        return startJob(name, options, savepoint, deserializer, UnaryOperator.identity());
    }

    /**
     * As above, with operators inserted between the job's outputs and its sink (a topology change).
     */
    JobClient startJob(
            String name,
            DeviceTwinJobOptions options,
            String savepoint,
            KafkaRecordDeserializationSchema<IngestedRecord> deserializer,
            UnaryOperator<DataStream<SinkRecord>> beforeSink)
            throws Exception {
        return startJob(name, options, savepoint, deserializer, beforeSink, 3);
    }

    /**
     * As above.
     *
     * @param restarts how often the job may restart after a failure; 0 makes any failure end it
     */
    JobClient startJob(
            String name,
            DeviceTwinJobOptions options,
            String savepoint,
            KafkaRecordDeserializationSchema<IngestedRecord> deserializer,
            UnaryOperator<DataStream<SinkRecord>> beforeSink,
            int restarts)
            throws Exception {
        // What the cluster's configuration gives a job (flink-conf/config.yaml), in the test's
        // directory.
        Configuration configuration = DeviceTwinJob.configuration(options);
        rocksDbOptions().forEach(configuration::setString);
        configuration.setString(
                "execution.checkpointing.dir",
                Files.createDirectories(dir.resolve("checkpoints-" + name)).toUri().toString());
        configuration.setString("execution.checkpointing.incremental", "true");
        if (restarts > 0) {
            configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            configuration.setString(
                    "restart-strategy.fixed-delay.attempts", Integer.toString(restarts));
            configuration.setString("restart-strategy.fixed-delay.delay", "200 ms");
        } else {
            configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        if (savepoint != null) {
            configuration.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        DeviceTwinJob.configure(
                env,
                options,
                deserializer == null ? KafkaIo.deserializer(options) : deserializer,
                beforeSink);
        return env.executeAsync("it-" + name);
    }

    String stopWithSavepoint(JobClient job, String name) throws Exception {
        return job.stopWithSavepoint(
                        false,
                        Files.createDirectories(dir.resolve("savepoints-" + name))
                                .toUri()
                                .toString(),
                        SavepointFormatType.CANONICAL)
                .get();
    }

    /** The event log as it stands now (read_committed), in partition and offset order. */
    List<RawRecord> log(TopicNames topics) {
        List<ConsumerRecord<byte[], byte[]>> records =
                new ArrayList<>(kafka.readAll(topics.events(), "read_committed"));
        records.sort(
                Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset));
        return records.stream()
                .map(
                        r ->
                                RawRecords.of(
                                        r.key(),
                                        r.value(),
                                        r.topic(),
                                        r.partition(),
                                        r.offset(),
                                        r.timestamp()))
                .toList();
    }

    /** Records sorted the way the log orders them: by partition, then offset. */
    static List<RawRecord> inLogOrder(List<RawRecord> records) {
        List<RawRecord> sorted = new ArrayList<>(records);
        sorted.sort(
                Comparator.<RawRecord>comparingInt(r -> r.getPosition().getPartition())
                        .thenComparingLong(r -> r.getPosition().getOffset()));
        return sorted;
    }

    /**
     * Today's fold of the event log up to the given offsets, outside Flink: what {@code state
     * verify} compares with.
     */
    Map<String, DeviceSnapshot> replay(
            DeviceTwinJobOptions options, TopicNames topics, Map<Integer, Long> until)
            throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return new LogReplay(
                            new EventAdmission(options.contract()),
                            new ConfluentAvroDeserializer<>(registryClient, DeviceEvent.class),
                            new ConfluentAvroDeserializer<>(registryClient, RuleSet.class),
                            new DeviceFold(options.foldSettings(), options.rules()))
                    .fold(consumer, topics.events(), until, read -> {});
        }
    }

    /**
     * The twins the independent specification makes of the log's records before the given offsets
     * (records of one partition in offset order), through the job's admission.
     */
    Map<String, DeviceTwin> specifiedTwins(
            DeviceTwinJobOptions options, List<RawRecord> log, Map<Integer, Long> until)
            throws IOException {
        FoldSpecification spec =
                new FoldSpecification(
                        FoldSpecification.Settings.of(options.foldSettings()), options.rules());
        EventAdmission admission = new EventAdmission(options.contract());
        ConfluentAvroDeserializer<DeviceEvent> decoder =
                new ConfluentAvroDeserializer<>(registryClient, DeviceEvent.class);
        for (RawRecord record : log) {
            if (record.getPosition().getOffset()
                            < until.getOrDefault(record.getPosition().getPartition(), 0L)
                    && RecordAdmission.admit(
                                            new io.twinlog.kernel.LogAdmission(
                                                    admission, decoder::deserialize, null),
                                            record,
                                            false)
                                    .getValue()
                            instanceof SourcedEvent sourced) {
                spec.apply(sourced.getEvent(), record.getPosition());
            }
        }
        Map<String, DeviceTwin> twins = new java.util.TreeMap<>();
        for (String device : spec.devices()) {
            spec.twin(device).ifPresent(twin -> twins.put(device, twin));
        }
        return twins;
    }

    /** Scenario records as they stand in the log, at the positions the broker gave them. */
    static List<RawRecord> positioned(
            TopicNames topics, List<Scenario.Record> records, List<RecordMetadata> positions) {
        List<RawRecord> log = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Scenario.Record record = records.get(i);
            log.add(
                    RawRecords.of(
                            record.key(),
                            record.value(),
                            topics.events(),
                            positions.get(i).partition(),
                            positions.get(i).offset(),
                            record.timestampMillis()));
        }
        return log;
    }

    /**
     * The records the reference model derives from a log, written to the output topics {@code
     * outputs} names (records of one partition must be in offset order).
     */
    OutputRecords reference(DeviceTwinJobOptions options, TopicNames outputs, List<RawRecord> log)
            throws Exception {
        ReferenceModel model = model(options, outputs);
        for (RawRecord record : log) {
            model.append(record);
        }
        return model.finish();
    }

    private ReferenceModel model(DeviceTwinJobOptions options, TopicNames topics) throws Exception {
        TwinlogRecordSerializer serializer =
                new TwinlogRecordSerializer(
                        topics,
                        registry.url(),
                        Duration.ofSeconds(5),
                        options.get(SinkOptions.SINK_MAX_RECORD_BYTES));
        serializer.open(null, null);
        return new ReferenceModel(
                new FoldSpecification(
                        FoldSpecification.Settings.of(options.foldSettings()), options.rules()),
                new EventAdmission(options.contract()),
                new ConfluentAvroDeserializer<>(registryClient, DeviceEvent.class),
                serializer,
                WATERMARK_DELAY.toMillis(),
                new OutputRecords(topics, registryClient));
    }

    /** Polls the outputs until they equal the expected records (or two minutes pass). */
    OutputRecords awaitOutputs(TopicNames topics, OutputRecords expected) throws Exception {
        return awaitOutputs(topics, expected, null);
    }

    /**
     * As above, failing at once with the job's failure if the job (when given) fails on the way.
     */
    OutputRecords awaitOutputs(TopicNames topics, OutputRecords expected, JobClient job)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        OutputRecords actual = read(topics, "read_committed");
        while (!actual.equals(expected) && System.currentTimeMillis() < deadline) {
            if (job != null && job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get();
                throw new AssertionError("the job ended before writing the expected outputs");
            }
            Thread.sleep(500);
            actual = read(topics, "read_committed");
        }
        return actual;
    }

    /**
     * Asserts that the outputs reach exactly the expected records and stay there (nothing more
     * comes within three checkpoints).
     */
    void assertOutputsSettleAt(JobClient job, TopicNames topics, OutputRecords expected)
            throws Exception {
        assertThat(awaitOutputs(topics, expected, job).differencesFrom(expected)).isEmpty();
        Thread.sleep(3 * CHECKPOINT_INTERVAL.toMillis());
        assertThat(read(topics, "read_committed").differencesFrom(expected)).isEmpty();
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
        for (String topic :
                List.of(
                        topics.twins(),
                        topics.twinEvents(),
                        topics.alerts(),
                        topics.late(),
                        topics.deadLetters())) {
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
