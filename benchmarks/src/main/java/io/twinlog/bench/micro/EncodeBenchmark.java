package io.twinlog.bench.micro;

import io.twinlog.jobs.kafka.TwinlogRecordSerializer;
import io.twinlog.options.DeviceTwinJobOptions;
import io.twinlog.options.OutputSizes;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.common.EventRef;
import io.twinlog.schema.common.LogPosition;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.twin.AlertRecords;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.InMemorySeenEventIds;
import java.time.Duration;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Encoding outputs as the sink does: a twin (three readings, the twin written for every applied
 * event) and an alert, each into a Kafka record in the Confluent wire format.
 */
@State(Scope.Thread)
public class EncodeBenchmark {

    private DevSchemaRegistry registry;
    private TwinlogRecordSerializer serializer;
    private SinkRecord twin;
    private SinkRecord alert;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        serializer =
                new TwinlogRecordSerializer(
                        TopicNames.defaults(),
                        registry.url(),
                        Duration.ofSeconds(5),
                        OutputSizes.DEFAULT_MAX_RECORD_BYTES);
        serializer.open(null, null);
        DeviceTwinJobOptions defaults = DeviceTwinJobOptions.parse();
        DeviceFold fold = new DeviceFold(defaults.foldSettings(), BenchmarkEvents.stackRules());
        LogPosition position = new LogPosition("device-events", 0, 7L);
        var state =
                fold.apply(
                                null,
                                new InMemorySeenEventIds(),
                                BenchmarkEvents.telemetry(
                                        "dev-000042",
                                        "5f1c2a9e-8b3d-4e7f-a6c0-1d2e3f4a5b6c",
                                        BenchmarkEvents.START,
                                        new SplittableRandom(3)),
                                position)
                        .state();
        twin = new SinkRecord(state.getTwin());
        alert =
                new SinkRecord(
                        AlertRecords.raised(
                                "dev-000042",
                                BenchmarkEvents.stackRules().byId("temperature-high"),
                                85.0,
                                BenchmarkEvents.START,
                                new EventRef("5f1c2a9e-8b3d-4e7f-a6c0-1d2e3f4a5b6c", position)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public ProducerRecord<byte[], byte[]> encodeTwin() {
        return serializer.serialize(twin, null, null);
    }

    @Benchmark
    public ProducerRecord<byte[], byte[]> encodeAlert() {
        return serializer.serialize(alert, null, null);
    }
}
