package io.twinlog.jobs;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.schema.internal.SourcedEvent;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.testing.KafkaTestCluster;
import io.twinlog.twin.DeviceFold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeviceTwinJob end to end: a real Kafka broker, the development registry, a MiniCluster with
 * RocksDB, parallelism 2 and exactly-once checkpoints. Every output topic is read with read_committed
 * and compared with the exact records of the reference model (admission plus fold, without Flink);
 * then a run with a failure in the middle and a run over another interleaving of devices must write
 * the same records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceTwinJobITCase {

    private static final int PARALLELISM = 2;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration WATERMARK_DELAY = Duration.ofSeconds(5);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    @TempDir
    static Path dir;

    private KafkaTestCluster kafka;
    private DevSchemaRegistry registry;
    private SchemaRegistry registryClient;
    private Path rulesFile;
    private Run normalRun;

    @BeforeAll
    void start() throws Exception {
        kafka = KafkaTestCluster.start();
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        registryClient = new CachingSchemaRegistry(new RegistryRestClient(registry.url()));
        rulesFile = Files.writeString(dir.resolve("rules.json"), Scenario.RULES);
    }

    @AfterAll
    void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void writesExactlyTheRecordsOfTheReferenceModel() throws Exception {
        Run run = normalRun();

        assertThat(run.actual.differencesFrom(run.expected)).isEmpty();
        // Spot checks that the scenario exercised what it is meant to.
        assertThat(run.actual.deadLetters).hasSize(10);
        assertThat(run.actual.deadLetters).extracting(f -> f.headers().get("twinlog.errors.reason")).containsOnly(
                "MISSING_VALUE", "MISSING_KEY", "NOT_WIRE_FORMAT", "UNKNOWN_SCHEMA_ID", "MALFORMED_AVRO",
                "CONTRACT_VIOLATION", "KEY_MISMATCH");
        assertThat(run.actual.late).singleElement()
                .satisfies(late -> assertThat(late.headers()).containsEntry("twinlog.late.device-last-seen",
                        Long.toString(io.twinlog.twin.DeviceEvents.seconds(100).toEpochMilli())));
        assertThat(run.actual.alerts.get("thermo-1")).extracting(a -> a.getRuleId() + " " + a.getStatus() + " "
                + a.getCause().getEventId()).startsWith(
                "temperature-high RAISED thermo-1-e3", "temperature-high CLEARED thermo-1-e6",
                "temperature-high RAISED thermo-1-e7", "device-silent RAISED thermo-1-e7");
        assertThat(run.actual.alerts.get("thermo-2")).extracting(a -> a.getRuleId() + " " + a.getStatus() + " "
                + a.getCause().getEventId()).startsWith(
                "temperature-high RAISED thermo-2-e1", "temperature-hot-30s RAISED thermo-2-e4",
                "temperature-high CLEARED thermo-2-e5", "temperature-hot-30s CLEARED thermo-2-e5");
        assertThat(run.actual.alerts.get("silent-1")).extracting(a -> a.getRuleId() + " " + a.getStatus())
                .containsExactly("device-silent RAISED");
        assertThat(run.actual.twins.get("dup-1")).last()
                .satisfies(twin -> assertThat(twin.getCounters().getDuplicates()).isEqualTo(2));
        assertThat(run.actual.twinEvents.get("decom-1")).extracting(e -> e.getPayload().getClass().getSimpleName())
                .containsExactly("Registered", "Decommissioned", "EventRejected", "EventRejected");
    }

    @Test
    void aFailureInTheMiddleChangesNoRecord() throws Exception {
        Run failed = run("failover", scenario(), true, Scenario.FAILURE_MARKER);

        assertThat(FailOnceOnEvent.FAILED).contains("failover");
        assertThat(failed.actual.differencesFrom(failed.expected)).isEmpty();
        assertThat(failed.actual.withEventTopic("log").differencesFrom(normalRun().actual.withEventTopic("log"))).isEmpty();
        assertThat(failed.uncommitted)
                .as("read_uncommitted also sees the aborted transaction's records: the sink is transactional")
                .isGreaterThan(failed.committed);
    }

    @Test
    void anotherInterleavingOfDevicesWritesTheSameRecordsPerDevice() throws Exception {
        Run shuffled = run("shuffled", Scenario.interleavedDifferently(scenario(), 42), false, null);

        assertThat(shuffled.actual.differencesFrom(shuffled.expected)).isEmpty();
        assertThat(shuffled.actual.withEventTopic("log").withoutPositions()
                .differencesFrom(normalRun().actual.withEventTopic("log").withoutPositions())).isEmpty();
    }

    private synchronized Run normalRun() throws Exception {
        if (normalRun == null) {
            normalRun = run("normal", scenario(), true, null);
        }
        return normalRun;
    }

    private List<Scenario.Record> scenario() throws IOException {
        return Scenario.build(registryClient, topics("scenario"));
    }

    /** A run on its own topics: produce, start the job, wait for the outputs, compare, cancel. */
    private Run run(String name, List<Scenario.Record> records, boolean twoBatches, String failOn) throws Exception {
        TopicNames topics = topics(name);
        kafka.createTopics(topics, Scenario.EVENT_PARTITIONS, 2);
        DeviceTwinJobOptions options = DeviceTwinJobOptions.parse(
                "--bootstrap.servers", kafka.bootstrapServers(),
                "--schema.registry.url", registry.url(),
                "--topic.events", topics.events(), "--topic.twins", topics.twins(),
                "--topic.twin-events", topics.twinEvents(), "--topic.alerts", topics.alerts(),
                "--topic.late", topics.late(), "--topic.dlq", topics.deadLetters(),
                "--group.id", name, "--transactional.id.prefix", "it-" + name,
                "--rules.file", rulesFile.toString(),
                "--silence.timeout", "60s", "--allowed.lateness", "300s", "--dedup.window", "300s",
                "--watermark.out-of-orderness", WATERMARK_DELAY.toMillis() + "ms",
                // Never idle within a test: the watermark must be the minimum over all partitions.
                "--source.idle-timeout", "1h");

        List<Scenario.Record> first = twoBatches ? records.stream().filter(Scenario.Record::firstBatch).toList() : records;
        List<Scenario.Record> second = twoBatches ? records.stream().filter(r -> !r.firstBatch()).toList() : List.of();
        List<RecordMetadata> positions = new ArrayList<>(kafka.sendBatch(producerRecords(topics, first)));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(name));
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        KafkaRecordDeserializationSchema<IngestedRecord> deserializer = failOn == null
                ? KafkaIo.deserializer(options) : new FailOnceOnEvent(KafkaIo.deserializer(options), failOn, name);
        DeviceTwinJob.from(options).build(env, KafkaIo.source(options, deserializer), KafkaIo.sink(options));
        JobClient job = env.executeAsync("DeviceTwinJobITCase-" + name);
        try {
            if (!second.isEmpty()) {
                awaitCommittedOutput(topics);
                positions.addAll(kafka.sendBatch(producerRecords(topics, second)));
            }
            List<Scenario.Record> produced = new ArrayList<>(first);
            produced.addAll(second);
            OutputRecords expected = reference(options, topics, produced, positions);
            OutputRecords actual = awaitOutputs(topics, expected);
            // A few more checkpoints: nothing may follow.
            Thread.sleep(3 * CHECKPOINT_INTERVAL.toMillis());
            actual = read(topics, "read_committed");
            int uncommitted = read(topics, "read_uncommitted").size();
            return new Run(expected, actual, actual.size(), uncommitted);
        } finally {
            job.cancel().get();
        }
    }

    private Configuration jobConfiguration(String name) throws IOException {
        Configuration configuration = DeviceTwinJob.requiredConfiguration();
        configuration.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        configuration.setString("execution.checkpointing.dir", Files.createDirectories(dir.resolve("checkpoints-" + name)).toUri().toString());
        configuration.setString("state.backend.incremental", "true");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.setString("restart-strategy.fixed-delay.attempts", "3");
        configuration.setString("restart-strategy.fixed-delay.delay", "200 ms");
        return configuration;
    }

    private OutputRecords reference(DeviceTwinJobOptions options, TopicNames topics, List<Scenario.Record> records,
            List<RecordMetadata> positions) throws Exception {
        TwinlogRecordSerializer serializer = new TwinlogRecordSerializer(topics, registry.url(), Duration.ofSeconds(5));
        serializer.open(null, null);
        ReferenceModel model = new ReferenceModel(new DeviceFold(options.foldSettings(), options.rules()),
                new EventAdmission(options.contract()), new ConfluentAvroDeserializer<>(registryClient, DeviceEvent.class),
                serializer, WATERMARK_DELAY.toMillis(), new OutputRecords(topics, registryClient));
        for (int i = 0; i < records.size(); i++) {
            Scenario.Record record = records.get(i);
            RecordMetadata position = positions.get(i);
            model.append(RawRecords.of(record.key(), record.value(), topics.events(), position.partition(),
                    position.offset(), record.timestampMillis()));
        }
        return model.finish();
    }

    private OutputRecords awaitOutputs(TopicNames topics, OutputRecords expected) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        OutputRecords actual = read(topics, "read_committed");
        while (!actual.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            actual = read(topics, "read_committed");
        }
        return actual;
    }

    private void awaitCommittedOutput(TopicNames topics) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (kafka.readAll(topics.twins(), "read_committed").isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the job committed no output within a minute");
            }
            Thread.sleep(200);
        }
    }

    private OutputRecords read(TopicNames topics, String isolation) throws IOException {
        OutputRecords outputs = new OutputRecords(topics, registryClient);
        for (String topic : List.of(topics.twins(), topics.twinEvents(), topics.alerts(), topics.late(), topics.deadLetters())) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(topic, isolation)) {
                outputs.add(topic, record.key(), record.value(), record.headers());
            }
        }
        return outputs;
    }

    private static List<ProducerRecord<byte[], byte[]>> producerRecords(TopicNames topics, List<Scenario.Record> records) {
        // A record without key would go to any partition: pin it, so that every run has the same log.
        return records.stream().map(r -> new ProducerRecord<>(topics.events(), r.key() == null ? 0 : null,
                r.timestampMillis(), r.key(), r.value())).toList();
    }

    private static TopicNames topics(String run) {
        return new TopicNames(run + "-device-events", run + "-device-twins", run + "-device-twin-events",
                run + "-device-alerts", run + "-device-events-late", run + "-device-events-dlq");
    }

    private record Run(OutputRecords expected, OutputRecords actual, int committed, int uncommitted) {}

    /** Fails the task the first time it reads the given event in the given run: a crash mid-stream. */
    static final class FailOnceOnEvent implements KafkaRecordDeserializationSchema<IngestedRecord> {
        private static final long serialVersionUID = 1L;
        static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

        private final KafkaRecordDeserializationSchema<IngestedRecord> delegate;
        private final String eventId;
        private final String run;

        FailOnceOnEvent(KafkaRecordDeserializationSchema<IngestedRecord> delegate, String eventId, String run) {
            this.delegate = delegate;
            this.eventId = eventId;
            this.run = run;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            delegate.open(context);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestedRecord> out) throws IOException {
            delegate.deserialize(record, new Collector<>() {
                @Override
                public void collect(IngestedRecord ingested) {
                    if (ingested.getValue() instanceof SourcedEvent sourced
                            && sourced.getEvent().getEventId().equals(eventId) && FAILED.add(run)) {
                        throw new IllegalStateException("injected failure at " + eventId);
                    }
                    out.collect(ingested);
                }

                @Override
                public void close() {}
            });
        }

        @Override
        public TypeInformation<IngestedRecord> getProducedType() {
            return delegate.getProducedType();
        }
    }
}
