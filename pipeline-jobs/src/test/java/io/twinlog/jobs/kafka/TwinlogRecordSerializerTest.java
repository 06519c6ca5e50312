package io.twinlog.jobs.kafka;

import static io.twinlog.twin.DeviceEvents.seconds;
import static io.twinlog.twin.DeviceEvents.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinlog.connect.RawRecords;
import io.twinlog.options.OutputSizes;
import io.twinlog.registry.CachingSchemaRegistry;
import io.twinlog.registry.RegistryRestClient;
import io.twinlog.registry.server.DevSchemaRegistry;
import io.twinlog.schema.TopicNames;
import io.twinlog.schema.event.DeviceEvent;
import io.twinlog.schema.internal.DeadLetter;
import io.twinlog.schema.internal.LateEvent;
import io.twinlog.schema.internal.LogAppend;
import io.twinlog.schema.internal.RawRecord;
import io.twinlog.schema.internal.SinkRecord;
import io.twinlog.schema.twin.DeviceTwin;
import io.twinlog.serde.ConfluentAvroDeserializer;
import io.twinlog.twin.DeviceFold;
import io.twinlog.twin.FoldResult;
import io.twinlog.twin.FoldSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwinlogRecordSerializerTest {

    private static final int MAX_RECORD_BYTES = OutputSizes.DEFAULT_MAX_RECORD_BYTES;

    private final TopicNames topics = TopicNames.defaults();
    private DevSchemaRegistry registry;
    private TwinlogRecordSerializer serializer;

    @BeforeEach
    void open() throws Exception {
        registry = DevSchemaRegistry.start("127.0.0.1", 0, null);
        serializer =
                new TwinlogRecordSerializer(
                        topics, registry.url(), Duration.ofSeconds(5), MAX_RECORD_BYTES);
        serializer.open(context(), null);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void registersEveryOutputSchemaWhenItOpens() throws Exception {
        assertThat(new RegistryRestClient(registry.url()).subjects())
                .containsExactlyInAnyOrder(
                        "device-twins-value",
                        "device-twin-events-value",
                        "device-alerts-value",
                        "device-events-value");
    }

    @Test
    void writesEachOutputToItsTopicKeyedByDevice() throws Exception {
        DeviceFold fold =
                new DeviceFold(FoldSettings.defaults(), io.twinlog.alerts.AlertRules.none());
        FoldResult result =
                fold.apply(
                        null,
                        new io.twinlog.twin.InMemorySeenEventIds(),
                        io.twinlog.twin.DeviceEvents.registered("e1", "d1", seconds(5), "m", "1"),
                        io.twinlog.twin.DeviceEvents.position(3));
        DeviceTwin twin = result.state().getTwin();

        ProducerRecord<byte[], byte[]> twinRecord =
                serializer.serialize(new SinkRecord(twin), null, null);
        ProducerRecord<byte[], byte[]> derived =
                serializer.serialize(new SinkRecord(result.derivedEvents().get(0)), null, null);

        assertThat(twinRecord.topic()).isEqualTo("device-twins");
        assertThat(new String(twinRecord.key(), StandardCharsets.UTF_8)).isEqualTo("d1");
        assertThat(twinRecord.timestamp()).as("stamped by the producer when written").isNull();
        assertThat(decode(twinRecord.value(), DeviceTwin.class)).isEqualTo(twin);
        assertThat(derived.topic()).isEqualTo("device-twin-events");
        assertThat(decode(derived.value(), io.twinlog.schema.derived.TwinEvent.class))
                .isEqualTo(result.derivedEvents().get(0));

        DeviceEvent observation = telemetry("x", "d1", seconds(9), "t", 1);
        ProducerRecord<byte[], byte[]> back =
                serializer.serialize(new SinkRecord(new LogAppend(observation, 5)), null, null);
        assertThat(back.topic()).isEqualTo("device-events");
        assertThat(back.partition())
                .as("the partition of the device's events, not the producer's partitioner's")
                .isEqualTo(5);
        assertThat(new String(back.key(), StandardCharsets.UTF_8)).isEqualTo("d1");
        assertThat(decode(back.value(), DeviceEvent.class)).isEqualTo(observation);
        assertThat(twinRecord.partition()).as("outputs go by key").isNull();
    }

    @Test
    void forwardsDeadLettersUnchangedWithConnectStyleHeaders() {
        RawRecord raw =
                RawRecords.of("k".getBytes(), new byte[] {1, 2, 3}, "device-events", 2, 17, 1234);
        ProducerRecord<byte[], byte[]> record =
                serializer.serialize(
                        new SinkRecord(
                                new DeadLetter(
                                        raw,
                                        "NOT_WIRE_FORMAT",
                                        "io.twinlog.serde.WireFormatException",
                                        "bad magic")),
                        null,
                        null);

        assertThat(record.topic()).isEqualTo("device-events-dlq");
        assertThat(record.key()).isEqualTo("k".getBytes());
        assertThat(record.value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(record.timestamp()).isNull();
        assertThat(headers(record))
                .containsEntry("__connect.errors.topic", "device-events")
                .containsEntry("__connect.errors.partition", "2")
                .containsEntry("__connect.errors.offset", "17")
                .containsEntry(
                        "__connect.errors.exception.class.name",
                        "io.twinlog.serde.WireFormatException")
                .containsEntry("__connect.errors.exception.message", "bad magic")
                .containsEntry("twinlog.errors.reason", "NOT_WIRE_FORMAT")
                .containsEntry("twinlog.source.timestamp", "1234");

        ProducerRecord<byte[], byte[]> late =
                serializer.serialize(new SinkRecord(new LateEvent(raw, 99L)), null, null);
        assertThat(late.topic()).isEqualTo("device-events-late");
        assertThat(late.value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(headers(late))
                .containsEntry("twinlog.source.offset", "17")
                .containsEntry("twinlog.late.device-last-seen", "99");
    }

    @Test
    void anIncompatibleOutputSchemaFailsWhenTheWriterOpens() throws Exception {
        RegistryRestClient client = new RegistryRestClient(registry.url());
        client.setCompatibility(
                "other-alerts-value", io.twinlog.schema.CompatibilityLevel.BACKWARD);
        client.register(
                "other-alerts-value",
                new Schema.Parser()
                        .parse(
                                """
                {"type":"record","name":"Alert","namespace":"io.twinlog.schema.alert","fields":[{"name":"legacy","type":"int"}]}"""));
        TwinlogRecordSerializer other =
                new TwinlogRecordSerializer(
                        new TopicNames(
                                "device-events",
                                "device-twins",
                                "device-twin-events",
                                "other-alerts",
                                "device-events-late",
                                "device-events-dlq"),
                        registry.url(),
                        Duration.ofSeconds(5),
                        MAX_RECORD_BYTES);

        assertThatThrownBy(() -> other.open(context(), null))
                .hasMessageContaining(
                        "cannot register the schema of Alert under subject other-alerts-value")
                .hasMessageContaining("incompatible");
    }

    private <T> T decode(byte[] value, Class<T> type) throws Exception {
        return new ConfluentAvroDeserializer<>(
                        new CachingSchemaRegistry(new RegistryRestClient(registry.url())), type)
                .deserialize(value);
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static SerializationSchema.InitializationContext context() {
        return new SerializationSchema.InitializationContext() {
            @Override
            public org.apache.flink.metrics.MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(
                        TwinlogRecordSerializerTest.class.getClassLoader());
            }
        };
    }
}
