package io.twinlog.bench.micro;

import io.twinlog.jobs.kafka.DeviceEventRecordDeserializer;
import io.twinlog.jobs.kafka.KafkaIo;
import io.twinlog.jobs.serde.ConfluentSchemaCoderProvider;
import io.twinlog.jobs.serde.StrictRegistryAvroDeserializationSchema;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.IngestedRecord;
import io.twinlog.serde.ConfluentAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decoding one {@code device-events} record as the job does: the Confluent framing, the writer
 * schema from the registry coder (cached after the first record), the Avro datum; and the whole
 * record path of the source (decode plus admission into an {@code IngestedRecord}).
 */
@State(Scope.Thread)
public class DecodeBenchmark {

    private static final int EVENTS = 1024;

    private DevSchemaRegistry registry;
    private StrictRegistryAvroDeserializationSchema<DeviceEvent> values;
    private DeviceEventRecordDeserializer records;
    private byte[][] payloads;
    private ConsumerRecord<byte[], byte[]>[] consumerRecords;
    private final LastRecord last = new LastRecord();
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        ConfluentAvroSerializer<DeviceEvent> serializer =
                new ConfluentAvroSerializer<>(
                        new CachingSchemaRegistry(new RegistryRestClient(registry.url())),
                        TopicNames.valueSubject(TopicNames.defaults().events()),
                        DeviceEvent.class);
        SplittableRandom random = new SplittableRandom(1);
        payloads = new byte[EVENTS][];
        consumerRecords = new ConsumerRecord[EVENTS];
        long now = System.currentTimeMillis();
        for (int i = 0; i < EVENTS; i++) {
            String device = String.format("dev-%06d", i);
            payloads[i] =
                    serializer.serialize(
                            BenchmarkEvents.telemetry(
                                    device, UUID.randomUUID().toString(), now, random));
            consumerRecords[i] =
                    new ConsumerRecord<>(
                            "device-events",
                            0,
                            i,
                            now,
                            TimestampType.CREATE_TIME,
                            0,
                            0,
                            device.getBytes(StandardCharsets.UTF_8),
                            payloads[i],
                            new RecordHeaders(),
                            Optional.empty());
        }
        values =
                new StrictRegistryAvroDeserializationSchema<>(
                        DeviceEvent.class,
                        new ConfluentSchemaCoderProvider(
                                registry.url(), null, Duration.ofSeconds(5)));
        values.open(null);
        records =
                KafkaIo.deserializer(
                        DeviceTwinJobOptions.parse("--schema.registry.url", registry.url()));
        records.open(null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public DeviceEvent decodeEvent() throws Exception {
        return values.deserialize(payloads[next++ & (EVENTS - 1)]);
    }

    @Benchmark
    public IngestedRecord decodeAndAdmitRecord() throws Exception {
        records.deserialize(consumerRecords[next++ & (EVENTS - 1)], last);
        return last.record;
    }

    /** Keeps the record the deserializer emitted, for JMH to consume. */
    private static final class LastRecord implements Collector<IngestedRecord> {
        IngestedRecord record;

        @Override
        public void collect(IngestedRecord record) {
            this.record = record;
        }

        @Override
        public void close() {}
    }
}
